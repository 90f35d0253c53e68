//! Reading the zip packages of `.odt` and `.docx` safely: a size limit for
//! the document and for each part (a zip bomb stops here), and errors a
//! person understands for what is not a package at all.

use std::io::Read;
use std::path::Path;

/// Larger documents are refused: a procedure sheet is a few pages; this is
/// most likely a scanned manual or a document full of uncompressed photos.
pub const MAX_DOCUMENT_BYTES: u64 = 25 * 1024 * 1024;
/// One part of the package once decompressed.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

pub struct Package {
    zip: zip::ZipArchive<std::fs::File>,
}

/// The start of an OLE2 compound file: a Word 97-2003 `.doc`, or an Office
/// document encrypted with a password (Office wraps those in OLE2).
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub fn check_size(path: &Path) -> Result<(), String> {
    let len = std::fs::metadata(path)
        .map_err(|e| format!("lecture impossible : {e}"))?
        .len();
    if len > MAX_DOCUMENT_BYTES {
        return Err(format!(
            "document trop volumineux ({} Mo ; limite {} Mo) : une fiche tient en quelques pages. Réduisez la taille des images (Fichier > Exporter, ou compresser les images) ou découpez le document",
            len / (1024 * 1024),
            MAX_DOCUMENT_BYTES / (1024 * 1024)
        ));
    }
    Ok(())
}

impl Package {
    pub fn open(path: &Path, expected: &str) -> Result<Package, String> {
        check_size(path)?;
        let mut head = [0u8; 8];
        let mut f = std::fs::File::open(path).map_err(|e| format!("lecture impossible : {e}"))?;
        let n = f.read(&mut head).unwrap_or(0);
        if n == 8 && head == OLE_MAGIC {
            let all = std::fs::read(path).unwrap_or_default();
            // "EncryptedPackage" in UTF-16, the stream of an encrypted OOXML file.
            let marker: Vec<u8> = "EncryptedPackage"
                .encode_utf16()
                .flat_map(|c| c.to_le_bytes())
                .collect();
            if all.windows(marker.len()).any(|w| w == marker.as_slice()) {
                return Err("document protégé par mot de passe : ouvrez-le, retirez le mot de passe (Fichier > Informations > Protéger le document) et enregistrez-le, puis relancez l'import".into());
            }
            return Err(format!(
                "ce fichier est un document Word 97-2003 (.doc), pas un {expected} : ouvrez-le dans LibreOffice ou Word et enregistrez-le au format {expected}"
            ));
        }
        if n < 4 || &head[..4] != b"PK\x03\x04" {
            return Err(format!(
                "ce n'est pas un document {expected} valide (ce n'est pas une archive zip) : ouvrez-le et enregistrez-le de nouveau au format {expected}"
            ));
        }
        let f = std::fs::File::open(path).map_err(|e| format!("lecture impossible : {e}"))?;
        let zip = zip::ZipArchive::new(f).map_err(|e| {
            format!("archive {expected} endommagée ({e}) : ouvrez le document et enregistrez-le de nouveau")
        })?;
        Ok(Package { zip })
    }

    pub fn bytes(&mut self, name: &str) -> Result<Vec<u8>, String> {
        let name = name.trim_start_matches('/');
        let mut f = self
            .zip
            .by_name(name)
            .map_err(|e| format!("`{name}` manque dans l'archive ({e})"))?;
        if f.size() > MAX_PART_BYTES {
            return Err(format!("`{name}` est trop volumineux une fois décompressé"));
        }
        let mut buf = Vec::with_capacity(f.size() as usize);
        f.by_ref()
            .take(MAX_PART_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("archive endommagée : `{name}` illisible ({e})"))?;
        if buf.len() as u64 > MAX_PART_BYTES {
            return Err(format!("`{name}` est trop volumineux une fois décompressé"));
        }
        Ok(buf)
    }

    pub fn text(&mut self, name: &str) -> Result<String, String> {
        let b = self.bytes(name)?;
        String::from_utf8(b).map_err(|_| format!("`{name}` n'est pas en UTF-8"))
    }

    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name.trim_start_matches('/')).is_some()
    }
}

/// Whether `n` is the element `name` of namespace `ns` (the parts of both
/// package formats are namespaced XML).
pub fn is(n: &roxmltree::Node, ns: &str, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(ns)
}

/// The trimmed text of the first element `ns:name` below `root`, if not
/// empty: how both formats' metadata parts give title, subject or date.
pub fn element_text(root: roxmltree::Node, ns: &str, name: &str) -> Option<String> {
    root.descendants()
        .find(|n| is(n, ns, name))
        .and_then(|n| n.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}
