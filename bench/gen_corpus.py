#!/usr/bin/env python3
"""Synthetic corpus for benchmarking fiches against its peers.

Writes N realistic French IT procedure sheets (300 to 900 words each) in
fiches' content format, and the same text as an mdBook book, a Hugo site and
a Material for MkDocs site:

    python3 bench/gen_corpus.py --out /tmp/c --sheets 1000 --formats fiches,mdbook,hugo,mkdocs

    DIR/fiches/   book.toml, content/fiches/<cat>/{_index.md,*.md},
                  content/apero-tice/*.md, content/parcours/*.md,
                  content/actions.toml, static/images/*.png
    DIR/mdbook/   book.toml, src/SUMMARY.md, src/**.md, src/images/*.png
    DIR/hugo/     hugo.toml, content/** (TOML front matter), layouts/, static/images/
    DIR/mkdocs/   mkdocs.yml (theme material), docs/** (same files as mdBook's src)

Standard library only (Python 3.11). Deterministic: the same --seed and
--sheets give the same bytes. The text comes from a French word list with
inflections (bench/vocab_fr.py), picked with Zipf-like frequencies and set in
phrase templates about school IT, plus a long tail of identifiers (rooms,
hosts, models, ticket numbers, people), so that search indexes see a
realistic vocabulary, not a tiny repeated one.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import shutil
import struct
import sys
import time
import unicodedata
import zlib
from bisect import bisect
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vocab_fr as V  # noqa: E402

FORMATS = ("fiches", "mdbook", "hugo", "mkdocs")

KEEP_HYPHEN = {
    "haut-parleur", "pare-feu", "sous-domaine", "appareil-photo", "pop-up", "glisser-déposer",
    "copier-coller", "rez-de-chaussée", "sous-sol", "après-midi", "bureau-distant", "7-Zip",
    "mise-à-jour", "remise-à-zéro", "Wi-Fi",
}
KEEP_HYPHEN_AS_SPACE = {"mise-à-jour", "remise-à-zéro", "bureau-distant"}
UPPER = {"ip": "IP", "usb": "USB", "hdmi": "HDMI", "3d": "3D", "dns": "DNS", "ssid": "SSID", "mdm": "MDM",
         "vlan": "VLAN", "tni": "TNI", "vpi": "VPI", "pdf": "PDF", "ocr": "OCR", "pin": "PIN", "pap": "PAP",
         "pps": "PPS", "aesh": "AESH", "ent": "ENT", "gar": "GAR", "rgpd": "RGPD", "cdi": "CDI", "pix": "Pix"}


def words_of(s: str) -> list[str]:
    return s.split()


def display(w: str) -> str:
    """`mot-de-passe` -> `mot de passe`; real hyphenated words are kept."""
    if w in KEEP_HYPHEN and w not in KEEP_HYPHEN_AS_SPACE:
        return w
    parts = w.split("-")
    return " ".join(UPPER.get(p.lower(), p) for p in parts)


def starts_vowel(w: str) -> bool:
    c = unicodedata.normalize("NFD", w[:1].lower())[:1]
    return c in "aeiouyh"


def plural_word(w: str) -> str:
    if w.endswith(("s", "x", "z")):
        return w
    if w.endswith("al") and w not in ("festival", "carnaval", "bal"):
        return w[:-2] + "aux"
    if w.endswith(("eau", "eu")):
        return w + "x"
    return w + "s"


def plural(np: str) -> str:
    parts = np.split(" ")
    parts[0] = plural_word(parts[0])
    # adjectives directly after ("adresse IP" stays, "salle informatique" -> "salles informatiques")
    return " ".join(parts)


def fem(adj: str) -> str:
    if adj.endswith("e") and not adj.endswith("é"):
        return adj
    for a, b in (("eux", "euse"), ("if", "ive"), ("el", "elle"), ("en", "enne"), ("on", "onne"),
                 ("er", "ère"), ("et", "ète"), ("c", "che")):
        if adj.endswith(a):
            return adj[: -len(a)] + b
    if adj == "net":
        return "nette"
    if adj in ("nouveau",):
        return "nouvelle"
    if adj in ("long",):
        return "longue"
    return adj + "e"


SYLLABLES = ("ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go la le li lo lu ma me mi mo mu "
             "na ne ni no nu pa pe pi po ra re ri ro ru sa se si so ta te ti to va ve vi vo bran cor mar ver lan ton "
             "gal mon val bel cha chau vil ville ac or ar is on an en in eau ois ière ard ac y ux ens").split()


def made_up_names(rng: random.Random, n: int) -> list[str]:
    """Proper nouns (towns, products, services) from syllables: 2 to 4 each."""
    out, seen = [], set()
    while len(out) < n:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
        w = w.capitalize()
        if rng.random() < 0.15:
            w = f"Saint-{w}" if rng.random() < 0.5 else f"{w}-sur-{''.join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()}"
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def slugify(s: str, maxlen: int = 64) -> str:
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    if len(s) > maxlen:
        s = s[:maxlen].rsplit("-", 1)[0]
    return s or "x"


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_list(xs: list[str]) -> str:
    return "[" + ", ".join(toml_str(x) for x in xs) + "]"


MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


class Zipf:
    """Picks items with weight 1/(rank+2)^s, in an order shuffled by the seed."""

    def __init__(self, items, rng: random.Random, s: float = 1.0):
        self.items = list(items)
        rng.shuffle(self.items)
        acc = 0.0
        self.cum = []
        for i in range(len(self.items)):
            acc += 1.0 / (i + 2) ** s
            self.cum.append(acc)
        self.total = acc

    def pick(self, rng: random.Random):
        return self.items[bisect(self.cum, rng.random() * self.total)]


@dataclass
class Noun:
    sing: str
    fem: bool

    def det(self, rng: random.Random, kind: str = "def", plural_ok: bool = True) -> str:
        return self.det_pl(rng, kind, plural_ok)[0]

    def det_pl(self, rng: random.Random, kind: str = "def", plural_ok: bool = True) -> tuple[str, bool]:
        pl = plural_ok and rng.random() < 0.25
        w = plural(self.sing) if pl else self.sing
        if kind == "def":
            d = "les " if pl else ("l'" if starts_vowel(w) else ("la " if self.fem else "le "))
        elif kind == "indef":
            d = "des " if pl else ("une " if self.fem else "un ")
        elif kind == "poss":
            d = "vos " if pl else "votre "
        elif kind == "de":
            d = "des " if pl else ("de l'" if starts_vowel(w) else ("de la " if self.fem else "du "))
        else:  # demonstrative
            d = "ces " if pl else ("cette " if self.fem else ("cet " if starts_vowel(w) else "ce "))
        return d + w, pl


class Lexicon:
    def __init__(self, rng: random.Random):
        nouns = [Noun(display(w), False) for w in words_of(V.NOUNS_M)] + [Noun(display(w), True) for w in words_of(V.NOUNS_F)]
        self.nouns = Zipf(nouns, rng, 0.9)
        verbs = []  # (inf, imp, pp, 3sg, 3pl, ant)
        irregular = {v[0] for v in V.VERBS_IRR}
        for inf in dict.fromkeys(words_of(V.VERBS_ER)):
            if not inf.endswith("er") or inf in irregular:
                continue
            st = inf[:-2]
            st_a = st + ("e" if st.endswith("g") else "")
            st_c = st[:-1] + "ç" if st.endswith("c") else st_a
            verbs.append((inf, st + "ez", st + "é", st + "e", st + "ent", st_c + "ant"))
        for inf, imp, pp, s3, p3 in V.VERBS_IRR:
            verbs.append((inf, imp, pp, s3, p3, None))
        self.verbs = Zipf(verbs, rng, 0.8)
        self.adjs = Zipf(words_of(V.ADJECTIVES), rng, 0.8)
        self.advs = Zipf(words_of(V.ADVERBS), rng, 0.8)
        self.software = Zipf([display(w) for w in words_of(V.SOFTWARE)], rng, 0.9)
        self.names = Zipf(made_up_names(rng, 200000), rng, 0.5)
        self.first = words_of(V.FIRST_NAMES)
        self.last = words_of(V.LAST_NAMES)


@dataclass
class Category:
    folder: str
    title: str
    desc_words: list[str]
    nouns: list[Noun]
    ui: list[str]
    problems: list[str]
    weight: int
    sheets: list[int] = field(default_factory=list)


@dataclass
class Sheet:
    idx: int
    cat: int
    slug: str
    title: str
    words: int
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    action: str | None = None
    updated: str = ""
    weight: int = 0
    validation: tuple[str, str] | None = None
    body: str = ""  # with link/image placeholders


LINK = "\x00L"  # \x00L<idx>\x00 -> relative path to sheet idx
IMG = "\x00I"  # \x00I<name>\x00 -> image path


# Second corpus shape (--shape short): sub-folders of a category, named
# after places and audiences, as a big school or a pooled site files them.
SUBFOLDERS = [
    ["Bâtiment A", "Bâtiment B", "Vie scolaire", "CDI", "Salles de sciences", "Administration",
     "Classes mobiles", "Internat", "Gymnase", "Ateliers", "Salle des professeurs", "SEGPA"],
    ["Sixième", "Cinquième", "Quatrième", "Troisième", "Enseignants", "Élèves", "Agents", "Direction"],
]

SHAPES = {
    # words (min, mode, max) per sheet, sub-folders per category, levels of sub-folders
    "long": dict(words=(300, 520, 900), subcategories=0, depth=0),
    "short": dict(words=(80, 160, 320), subcategories=3, depth=2),
}


class Writer:
    def __init__(self, seed: int, n: int, words=(300, 520, 900), subcategories: int = 0, depth: int = 0):
        self.seed = seed
        self.n = n
        self.words = words
        self.subcategories = subcategories
        self.depth = depth
        self.rng = random.Random(seed)
        self.lex = Lexicon(random.Random(seed ^ 0x5EED))
        self.images = [f"capture-{i:02d}.png" for i in range(12)]
        self.cats = self._categories()
        self.sheets: list[Sheet] = []
        self.actions: list[tuple[str, str, list[str], str, str]] = []

    # ---- small generators ------------------------------------------------
    def room(self) -> str:
        r = self.rng
        return f"salle {r.choice('ABCDEFGH')}{r.randint(0, 3)}{r.randint(0, 2)}{r.randint(0, 9)}"

    def place(self) -> str:
        r = self.rng.random()
        if r < 0.35:
            return "en " + self.room()
        if r < 0.6:
            return self.rng.choice(["au CDI", "en salle des professeurs", "au secrétariat", "à la vie scolaire",
                                    "au bâtiment A", "au bâtiment B", "au gymnase", "au foyer", "à l'internat",
                                    "en salle informatique", "au laboratoire de sciences", "à l'accueil",
                                    "en salle polyvalente", "au bureau du référent", "à l'intendance"])
        if r < 0.7:
            return "au site de " + self.lex.names.pick(self.rng)
        return "dans " + self.lex.nouns.pick(self.rng).det(self.rng, "def", False)

    def host(self) -> str:
        r = self.rng
        return f"{r.choice(['pc', 'srv', 'imp', 'vp', 'tab', 'sw', 'ap'])}-{r.choice('abcdefgh')}{r.randint(0, 3)}{r.randint(0, 2)}{r.randint(0, 9)}-{r.randint(1, 30):02d}"

    def model(self) -> str:
        r = self.rng
        letters = "".join(r.choice("ABCDEFGHJKLMNPRSTVWXZ") for _ in range(r.randint(1, 3)))
        return f"{self.lex.software.pick(r)} {letters}-{r.randint(10, 9999)}"

    def person(self) -> str:
        r = self.rng
        if r.random() < 0.6:
            return f"{r.choice(['Mme', 'M.'])} {r.choice(self.lex.last)}"
        return f"{r.choice(self.lex.first)} {r.choice(self.lex.last)}"

    def ticket(self) -> str:
        return f"n° {self.rng.randint(10000, 999999)}"

    def errcode(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return f"0x{self.rng.getrandbits(32):08X}"
        return f"E{self.rng.randint(100, 9999)}"

    def ip(self) -> str:
        r = self.rng
        return f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def name(self) -> str:
        """A proper noun from a large made-up pool (towns, products, services),
        Zipf-distributed: a few are frequent, most are rare, as in real sites."""
        return self.lex.names.pick(self.rng)

    def date_fr(self) -> str:
        r = self.rng
        return f"{r.randint(1, 28)} {r.choice(MONTHS)} {r.randint(2019, 2026)}"

    def tail(self) -> str:
        """One long-tail identifier, the way IT sheets are full of them."""
        r = self.rng.random()
        if r < 0.2:
            return f"`{self.host()}`"
        if r < 0.35:
            return self.model()
        if r < 0.5:
            return f"le ticket {self.ticket()}"
        if r < 0.62:
            return f"le code `{self.errcode()}`"
        if r < 0.72:
            return f"l'adresse `{self.ip()}`"
        if r < 0.8:
            return self.person()
        if r < 0.86:
            return self.rng.choice(["le collège ", "la commune de ", "le service ", "l'outil ", "le logiciel ", "la plateforme "]) + self.name()
        if r < 0.93:
            return f"la version {self.rng.randint(1, 24)}.{self.rng.randint(0, 12)}.{self.rng.randint(0, 40)}"
        return f"le fichier `{slugify(self.lex.nouns.pick(self.rng).sing, 20)}_{self.rng.randint(2019, 2026)}.{self.rng.choice(['odt', 'pdf', 'xlsx', 'docx', 'png', 'zip', 'csv'])}`"

    # ---- phrases ---------------------------------------------------------
    def noun(self, cat: Category | None) -> Noun:
        if cat is not None and self.rng.random() < 0.4:
            return self.rng.choice(cat.nouns)
        return self.lex.nouns.pick(self.rng)

    def np(self, cat, kind="def", subj=False) -> str:
        r = self.rng
        n = self.noun(cat)
        s, pl = n.det_pl(r, kind, not subj)
        x = r.random()
        if x < 0.3:
            a = self.lex.adjs.pick(r)
            a = fem(a) if n.fem else a
            s += " " + display(plural_word(a) if pl else a)
        elif x < 0.5:
            s += " " + self.noun(cat).det(r, "de", False)
        elif x < 0.56:
            s += " " + self.lex.software.pick(r)
        elif x < 0.59:
            s += " de " + self.name()
        return s

    def subj(self, cat, kind="def") -> str:
        return self.np(cat, kind, subj=True)

    def pnp(self, cat) -> str:
        """A preposition and a noun phrase, with `de` contracted."""
        p = self.rng.choice(V.PREPOSITIONS)
        if p.endswith(" de"):
            return p[:-3] + " " + self.np(cat, "de")
        return p + " " + self.np(cat)

    def verb(self):
        return self.lex.verbs.pick(self.rng)

    def ui(self, cat) -> str:
        if cat is not None and self.rng.random() < 0.6:
            return f"**{self.rng.choice(cat.ui)}**"
        return f"**{display(self.lex.nouns.pick(self.rng).sing).capitalize()}**"

    def adv(self) -> str:
        return self.lex.advs.pick(self.rng)

    def maybe_tail(self, p=0.2) -> str:
        return (" (" + self.tail() + ")") if self.rng.random() < p else ""

    def sentence(self, cat) -> str:
        r = self.rng
        v = self.verb()
        t = r.randrange(12)
        if t == 0:
            s = f"{cap(self.subj(cat))} {v[3]} {self.np(cat)} {self.place()}"
        elif t == 1:
            s = f"Le message « {r.choice(V.ERRORS)} » s'affiche lorsque {self.subj(cat)} {v[3]} {self.np(cat)}"
        elif t == 2:
            s = f"{cap(self.subj(cat))} {ne(v[3])} plus {self.adv()} depuis {self.np(cat)}"
        elif t == 3:
            s = f"Dans la plupart des cas, {self.subj(cat)} {v[3]} {self.adv()}, {r.choice(V.CONNECTORS)} {self.subj(cat)} {self.verb()[3]} {self.np(cat)}"
        elif t == 4:
            s = f"Il faut {v[0]} {self.np(cat)} {self.pnp(cat)}"
        elif t == 5:
            s = f"{cap(self.person())} a signalé que {self.subj(cat)} {v[3]} {self.adv()} {self.place()}"
        elif t == 6:
            s = f"Pour {v[0]} {self.np(cat)}, il suffit de {self.verb()[0]} {self.np(cat)}"
        elif t == 7:
            n = self.noun(cat)
            a = self.lex.adjs.pick(r)
            s = f"{cap(n.det(r, 'def', False))} est {display(fem(a) if n.fem else a)} {self.pnp(cat)}"
        elif t == 8:
            s = f"Depuis le {self.date_fr()}, {self.subj(cat)} {v[3]} {self.np(cat)} {self.pnp(cat)}"
        elif t == 9:
            s = f"{cap(r.choice(['attention', 'remarque', 'à savoir', 'important', 'astuce']))} : {self.subj(cat)} {v[3]} {self.np(cat)} {self.adv()}"
        elif t == 10:
            s = f"Si {self.subj(cat)} {v[3]} {self.np(cat)}, {self.subj(cat)} {self.verb()[3]} {self.adv()}"
        else:
            s = f"{cap(self.subj(cat, 'indef'))} {v[3]} {self.np(cat)} {self.place()}, {r.choice(V.CONNECTORS)} {self.subj(cat)} {self.verb()[3]} {self.adv()}"
        return s + self.maybe_tail() + "."

    def step(self, cat) -> str:
        r = self.rng
        v = self.verb()
        t = r.randrange(9)
        if t == 0:
            s = f"{cap(v[1])} {self.np(cat)} {self.place()}."
        elif t == 1:
            s = f"Ouvrez {self.ui(cat)}, puis cliquez sur {self.ui(cat)}."
        elif t == 2:
            s = f"{cap(v[1])} {self.np(cat)}, puis {self.verb()[1]} {self.np(cat)} {self.adv()}."
        elif t == 3:
            s = f"Dans {self.ui(cat)}, {v[1]} {self.np(cat)} et {self.verb()[1]} {self.np(cat)}."
        elif t == 4:
            s = f"Si {self.subj(cat)} {self.verb()[3]} {self.adv()}, {v[1]} {self.np(cat)} {self.pnp(cat)}."
        elif t == 5:
            s = f"Attendez {r.choice(['10', '20', '30', 'quelques'])} secondes : {self.subj(cat)} {v[3]} {self.np(cat)}."
        elif t == 6:
            s = f"Saisissez `{self.host() if r.random() < 0.5 else self.ip()}` dans le champ {self.ui(cat)}, puis validez avec **Entrée**."
        elif t == 7:
            s = f"{cap(v[1])} {self.np(cat)} : {self.subj(cat)} {self.verb()[3]} {self.np(cat)}{self.maybe_tail(0.3)}."
        else:
            s = f"Cochez {self.ui(cat)} et décochez {self.ui(cat)}, sinon {self.subj(cat)} {self.verb()[3]} {self.adv()}."
        return s

    # ---- structure -------------------------------------------------------
    def _categories(self) -> list[Category]:
        n = self.n
        k = max(10, min(30, n // 40)) if n >= 10 else min(10, len(V.CATEGORIES))
        cats = []
        for i, (folder, title, desc, nouns, ui, probs) in enumerate(V.CATEGORIES[:k]):
            fem_words = set(words_of(V.NOUNS_F))
            masc_words = set(words_of(V.NOUNS_M))
            ns = [Noun(display(w), w not in masc_words and (w in fem_words or w.endswith(("e", "ion", "té")))) for w in nouns.split()]
            cats.append(Category(folder, title, [display(w) for w in desc.split()], ns, ui.split("|"), probs.split("|"), (i + 1) * 10))
        return self._subfolders(cats)

    def _subfolders(self, top: list[Category]) -> list[Category]:
        """Each category gets `subcategories` sub-folders, `depth` levels deep
        (its own random stream: the default shape keeps its bytes)."""
        if not self.subcategories or not self.depth:
            return top
        r = random.Random(self.seed ^ 0x5B5)
        out = []

        def grow(c: Category, level: int):
            out.append(c)
            if level >= self.depth:
                return
            names = r.sample(SUBFOLDERS[min(level, len(SUBFOLDERS) - 1)], self.subcategories)
            for k, name in enumerate(names):
                grow(Category(f"{c.folder}/{slugify(name)}", name, c.desc_words, c.nouns, c.ui, c.problems, (k + 1) * 10), level + 1)

        for c in top:
            grow(c, 0)
        return out

    def make_titles(self):
        r = self.rng
        seen_titles: set[str] = set()
        seen_slugs: set[tuple[int, str]] = set()
        weights = [1.0 / (i + 3) ** 0.6 for i in range(len(self.cats))]
        cum = list(itertools.accumulate(weights))
        for i in range(self.n):
            c = bisect(cum, r.random() * cum[-1]) if i >= len(self.cats) else i
            cat = self.cats[c]
            for attempt in range(50):
                t = r.randrange(5)
                obj = r.choice(cat.nouns).det(r, r.choice(["def", "indef", "poss"]))
                if t == 0:
                    title = f"{r.choice(V.ACTION_VERBS)} {obj}"
                elif t == 1:
                    title = f"{cap(r.choice(cat.problems))} {r.choice(['sur', 'avec', 'dans'])} {obj}"
                elif t == 2:
                    title = f"Utiliser {self.lex.software.pick(r)} pour {self.verb()[0]} {obj}"
                elif t == 3:
                    title = f"{cap(r.choice(cat.nouns).det(r, 'def', False))} {ne(self.verb()[3])} plus"
                else:
                    title = f"{cap(r.choice(cat.problems))} : « {r.choice(V.ERRORS)} »"
                if attempt > 0 or r.random() < 0.5:
                    title += r.choice([f" ({self.lex.software.pick(r)})", f" {self.place()}", f" en {r.choice(['6e', '5e', '4e', '3e', 'SEGPA', 'ULIS'])}",
                                       f" — {r.choice(['cas des élèves', 'pour les enseignants', 'côté référent', 'pour la direction', 'en classe'])}"])
                if attempt > 3:
                    title += f" ({self.host()})"
                if title not in seen_titles:
                    break
            seen_titles.add(title)
            slug = slugify(title)
            base, k = slug, 2
            while (c, slug) in seen_slugs:
                slug = f"{base}-{k}"
                k += 1
            seen_slugs.add((c, slug))
            lo, mode, hi = self.words
            words = int(min(hi, max(lo, r.triangular(lo, hi, mode))))
            self.sheets.append(Sheet(i, c, slug, title, words))
            cat.sheets.append(i)

    def make_actions(self):
        r = self.rng
        k = max(8, min(40, self.n // 25))
        seen = set()
        for i in range(k):
            cat = self.cats[i % len(self.cats)]
            title = f"{r.choice(V.ACTION_VERBS)} {r.choice(cat.nouns).det(r, 'indef', False)}"
            aid = slugify(title, 40)
            while aid in seen:
                aid += "-" + str(i)
            seen.add(aid)
            who = ["referent"] if r.random() < 0.8 else ["referent", "direction"]
            cond = self.sentence(cat).rstrip(".") + " ; " + self.sentence(None)
            ref = f"Convention de maintenance {r.randint(2022, 2025)}, annexe {r.randint(1, 4)}, article {r.randint(1, 12)}"
            self.actions.append((aid, title, who, cond, ref))

    def link(self, j: int) -> str:
        return f"[{self.sheets[j].title}]({LINK}{j}\x00)"

    def other_sheet(self, s: Sheet) -> int:
        r = self.rng
        cat = self.cats[s.cat]
        if r.random() < 0.6 and len(cat.sheets) > 1:
            j = r.choice(cat.sheets)
        else:
            j = r.randrange(self.n)
        return j if j != s.idx else (j + 1) % self.n

    def make_sheet(self, s: Sheet):
        r = self.rng
        cat = self.cats[s.cat]
        count = 0
        out_sym, out_before, out_steps, out_tail = [], [], [], []

        def add(lst, text):
            nonlocal count
            lst.append(text)
            count += text.count(" ") + 1

        add(out_sym, "## Symptômes\n")
        add(out_sym, " ".join(self.sentence(cat) for _ in range(r.randint(2, 4))) + "\n")
        for _ in range(r.randint(2, 5)):
            add(out_sym, "- " + self.sentence(cat))
        out_sym.append("")
        if r.random() < 0.7:
            add(out_before, "## Avant de commencer\n")
            for _ in range(r.randint(2, 4)):
                add(out_before, "- " + self.sentence(cat))
            out_before.append("")
        # tail sections
        if r.random() < 0.5:
            add(out_tail, "## Récapitulatif\n")
            out_tail.append("| Ce que vous voyez | Cause la plus probable | Solution |")
            out_tail.append("|---|---|---|")
            for _ in range(r.randint(3, 6)):
                add(out_tail, f"| {cap(r.choice(cat.problems))} | {cap(self.np(cat))} | {cap(self.verb()[0])} {self.np(cat)} |")
            out_tail.append("")
        if r.random() < 0.3:
            lang = r.choice(list(V.CODE_SNIPPETS))
            code = r.choice(V.CODE_SNIPPETS[lang]).format(host=self.host(), user=slugify(r.choice(self.lex.last)),
                                                           ssid=f"CLG-{r.choice(['PEDA', 'ADM', 'INVITE', 'TAB'])}", ticket=self.ticket(),
                                                           room=self.room(), model=self.model())
            add(out_tail, "## Commandes utiles\n")
            add(out_tail, self.sentence(cat) + "\n")
            out_tail.append(f"```{lang}\n{code}\n```\n")
            count += code.count(" ") + code.count("\n") + 1
        add(out_tail, "## Si cela ne fonctionne pas\n")
        add(out_tail, " ".join(self.sentence(cat) for _ in range(r.randint(2, 3))) +
            f" Ouvrez un ticket sur le portail d'assistance, catégorie **{cat.title}**, en précisant {self.np(cat)} et {self.np(cat)}.\n")
        see = sorted({self.other_sheet(s) for _ in range(r.randint(1, 3))})
        add(out_tail, "Voir aussi : " + " et ".join(self.link(j) for j in see) + ".")
        # steps until the word budget is spent
        add(out_steps, "## Étapes\n")
        groups = r.random() < 0.4
        g = 0
        images = 0
        while True:
            if groups:
                g += 1
                add(out_steps, f"### {g}. {cap(self.verb()[0])} {self.np(cat)}\n")
            for k in range(1, r.randint(3, 7) + 1):
                add(out_steps, f"{k}. {self.step(cat)}")
                x = r.random()
                if x < 0.12:
                    for _ in range(r.randint(2, 3)):
                        add(out_steps, "   - " + self.sentence(cat))
                elif x < 0.2 and images < 2:
                    images += 1
                    out_steps.append(f"\n   ![{cap(self.np(cat))}]({IMG}{r.choice(self.images)}\x00)\n")
                elif x < 0.27:
                    add(out_steps, f"   Voir [{self.sheets[(j := self.other_sheet(s))].title}]({LINK}{j}\x00).")
            out_steps.append("")
            if count >= s.words:
                break
            if not groups:
                add(out_steps, " ".join(self.sentence(cat) for _ in range(r.randint(1, 3))) + "\n")
                groups = True
        s.body = "\n".join(out_sym + out_before + out_steps + out_tail) + "\n"
        s.summary = self.sentence(cat)
        tags = {display(r.choice(cat.desc_words)).lower() for _ in range(r.randint(1, 3))}
        tags |= {r.choice(cat.nouns).sing.lower() for _ in range(r.randint(1, 3))}
        s.tags = sorted(tags)
        s.audience = sorted(set(r.sample(V.AUDIENCES, r.choice([1, 1, 1, 2]))))
        if self.actions and r.random() < 0.15:
            s.action = r.choice(self.actions)[0]
        s.updated = f"{r.randint(2023, 2026)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        s.weight = r.randint(1, 100)
        if s.action and r.random() < 0.6:
            s.validation = ("Conseil départemental — service des collèges numériques", f"{r.randint(2023, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}")

    def generate(self):
        self.make_titles()
        self.make_actions()
        for s in self.sheets:
            self.make_sheet(s)
        # every action documented by at least one sheet when possible
        for i, a in enumerate(self.actions):
            if i < self.n:
                self.sheets[(i * 7919) % self.n].action = a[0]
        self.sessions = []
        r = self.rng
        for i in range(max(3, min(40, self.n // 250))):
            cat = self.cats[i % len(self.cats)]
            year = 2024 + (i % 4)
            month = 1 + (i * 5) % 12
            title = f"{cap(self.verb()[0])} {self.np(cat)} avec {self.lex.software.pick(r)}"
            slug = f"{year}-{month:02d}-{slugify(title, 40)}"
            refs = sorted({r.choice(cat.sheets) for _ in range(r.randint(1, 4))} if cat.sheets else set())
            body = [f"{r.randint(5, 25)} collègues présents.", "", "## Ce qu'on a vu", ""]
            body += ["- " + self.sentence(cat) for _ in range(r.randint(3, 6))]
            body += ["", "## Questions posées", ""]
            body += [f"- *{cap(self.np(cat))} ?* " + self.sentence(cat) for _ in range(r.randint(2, 4))]
            body += ["", " ".join(self.sentence(cat) for _ in range(r.randint(2, 4)))]
            self.sessions.append(dict(slug=slug, title=title, date=f"{year}-{month:02d}-{r.randint(1, 28):02d}",
                                      time=r.choice(["12:30", "13:00", "16:45"]), location=self.place().split(" ", 1)[1].capitalize(),
                                      presenters=[self.person()], tags=sorted({c.lower() for c in r.sample(cat.desc_words, min(2, len(cat.desc_words)))}),
                                      fiches=refs, body="\n".join(body) + "\n"))
        self.paths = []
        for i in range(max(1, min(5, self.n // 200))):
            ids = []
            for _ in range(r.randint(5, 10)):
                j = r.randrange(self.n)
                if j not in ids:
                    ids.append(j)
            title = ["Premiers pas pour un nouveau collègue", "Devenir référent numérique", "Préparer la rentrée",
                     "Réussir une séance en classe mobile", "Organiser une session de certification"][i]
            self.paths.append(dict(slug=slugify(title, 40), title=title, fiches=ids,
                                   body=" ".join(self.sentence(None) for _ in range(3)) + "\n"))

    # ---- output ----------------------------------------------------------
    def sheet_id(self, j: int) -> str:
        s = self.sheets[j]
        return f"{self.cats[s.cat].folder}/{s.slug}"

    def rel_link(self, frm: Sheet, j: int) -> str:
        to = self.sheets[j]
        if to.cat == frm.cat:
            return f"{to.slug}.md"
        return os.path.relpath(f"{self.cats[to.cat].folder}/{to.slug}.md", self.cats[frm.cat].folder)

    def fill(self, s: Sheet, fmt: str) -> str:
        def lk(m):
            j = int(m.group(1))
            if fmt == "hugo":
                return f"/fiches/{self.sheet_id(j)}/"
            return self.rel_link(s, j)

        def im(m):
            return f"/images/{m.group(1)}" if fmt in ("fiches", "hugo") else f"../images/{m.group(1)}"

        body = re.sub("\x00L(\\d+)\x00", lk, s.body)
        return re.sub("\x00I([^\x00]+)\x00", im, body)

    def front(self, s: Sheet) -> str:
        fm = [f"title = {toml_str(s.title)}", f"summary = {toml_str(s.summary)}", f"tags = {toml_list(s.tags)}",
              f"audience = {toml_list(s.audience)}"]
        if s.action:
            fm.append(f"action = {toml_str(s.action)}")
        fm.append(f"updated = {s.updated}")
        fm.append(f"weight = {s.weight}")
        if s.validation:
            fm += ["", "[validation]", f"by = {toml_str(s.validation[0])}", f"on = {s.validation[1]}"]
        return "\n".join(fm)

    def write_images(self, d: str):
        os.makedirs(d, exist_ok=True)
        for i, name in enumerate(self.images):
            with open(os.path.join(d, name), "wb") as f:
                f.write(png(96, 64, i))

    def write_fiches(self, root: str):
        w = FileWriter(root)
        w.put("book.toml", f"""[book]
title = "Aide numérique — Collège de synthèse ({self.n} fiches)"
description = "Corpus de mesure généré par bench/gen_corpus.py (graine {self.seed})"
language = "fr"

[site]
base-url = "/"

[build]
output-dir = "public"

[search]
synonyms = [["tni", "tbi", "vpi", "tableau numérique"], ["mdp", "mot de passe"]]

[accessibility]
status = "partiellement conforme"
audited-on = 2025-05-20
contact = "referents@college.example.org"
""")
        for c in self.cats:
            w.put(f"content/fiches/{c.folder}/_index.md",
                  f'+++\ntitle = {toml_str(c.title)}\ndescription = {toml_str(self.sentence(None))}\nweight = {c.weight}\n+++\n\n{self.sentence(None)}\n')
        for s in self.sheets:
            w.put(f"content/fiches/{self.sheet_id(s.idx)}.md", f"+++\n{self.front(s)}\n+++\n\n{self.fill(s, 'fiches')}")
        for se in self.sessions:
            fm = [f"title = {toml_str(se['title'])}", f"date = {se['date']}", f"time = {toml_str(se['time'])}",
                  f"location = {toml_str(se['location'])}", f"presenters = {toml_list(se['presenters'])}",
                  f"tags = {toml_list(se['tags'])}", f"fiches = {toml_list([self.sheet_id(j) for j in se['fiches']])}"]
            w.put(f"content/apero-tice/{se['slug']}.md", "+++\n" + "\n".join(fm) + "\n+++\n\n" + se["body"])
        for p in self.paths:
            w.put(f"content/parcours/{p['slug']}.md",
                  f"+++\ntitle = {toml_str(p['title'])}\nfiches = {toml_list([self.sheet_id(j) for j in p['fiches']])}\n+++\n\n{p['body']}")
        acts = ["# Liste des actions autorisées (générée)\n"]
        for aid, title, who, cond, ref in self.actions:
            acts.append(f"[[action]]\nid = {toml_str(aid)}\ntitle = {toml_str(title)}\nwho = {toml_list(who)}\nconditions = {toml_str(cond)}\nreference = {toml_str(ref)}\n")
        w.put("content/actions.toml", "\n".join(acts))
        self.write_images(os.path.join(root, "static", "images"))

    def md_page(self, s: Sheet, fmt: str) -> str:
        """An mdBook/MkDocs chapter: the same text, metadata as visible lines."""
        meta = f"*{s.summary}*\n\nMots-clés : {', '.join(s.tags)} · Public : {', '.join(s.audience)} · Mise à jour : {s.updated}\n"
        return f"# {s.title}\n\n{meta}\n{self.fill(s, fmt)}"

    def write_book_tree(self, w: "FileWriter", prefix: str, fmt: str):
        for c in self.cats:
            w.put(f"{prefix}{c.folder}/index.md", f"# {c.title}\n\n{self.sentence(None)}\n")
        for s in self.sheets:
            w.put(f"{prefix}{self.sheet_id(s.idx)}.md", self.md_page(s, fmt))
        w.put(f"{prefix}apero-tice/index.md", "# Apéro'TICE\n\nLes séances de formation entre pairs.\n")
        for se in self.sessions:
            refs = "\n".join(f"- [{self.sheets[j].title}](../{self.sheet_id(j)}.md)" for j in se["fiches"])
            w.put(f"{prefix}apero-tice/{se['slug']}.md",
                  f"# {se['title']}\n\n{se['date']} à {se['time']}, {se['location']} — {', '.join(se['presenters'])}\n\n{se['body']}\n## Fiches liées\n\n{refs}\n")
        w.put(f"{prefix}parcours/index.md", "# Parcours\n\nDes fiches à lire dans l'ordre.\n")
        for p in self.paths:
            refs = "\n".join(f"1. [{self.sheets[j].title}](../{self.sheet_id(j)}.md)" for j in p["fiches"])
            w.put(f"{prefix}parcours/{p['slug']}.md", f"# {p['title']}\n\n{p['body']}\n{refs}\n")
        acts = ["# Actions autorisées\n"]
        for aid, title, who, cond, ref in self.actions:
            acts.append(f"## {title}\n\nQui : {', '.join(who)}. {cond}\n\n*{ref}*\n")
        w.put(f"{prefix}actions.md", "\n".join(acts))
        w.put(f"{prefix}index.md" if fmt == "mkdocs" else f"{prefix}README.md",
              f"# Aide numérique\n\nCorpus de mesure de {self.n} fiches (graine {self.seed}).\n")
        self.write_images(os.path.join(w.root, prefix, "images"))

    def write_mdbook(self, root: str):
        w = FileWriter(root)
        w.put("book.toml", f"""[book]
title = "Aide numérique — Collège de synthèse ({self.n} fiches)"
language = "fr"
src = "src"

[output.html]
# fiches makes no single-page print view: mdBook's is turned off, so it does less work.
[output.html.print]
enable = false

[output.html.search]
enable = true
""")
        lines = ["# Summary", "", "[Accueil](README.md)", ""]
        for c in self.cats:
            lines.append(f"- [{c.title}]({c.folder}/index.md)")
            for j in c.sheets:
                lines.append(f"  - [{md_escape(self.sheets[j].title)}]({self.sheet_id(j)}.md)")
        lines.append("- [Apéro'TICE](apero-tice/index.md)")
        lines += [f"  - [{md_escape(se['title'])}](apero-tice/{se['slug']}.md)" for se in self.sessions]
        lines.append("- [Parcours](parcours/index.md)")
        lines += [f"  - [{md_escape(p['title'])}](parcours/{p['slug']}.md)" for p in self.paths]
        lines.append("- [Actions autorisées](actions.md)")
        w.put("src/SUMMARY.md", "\n".join(lines) + "\n")
        self.write_book_tree(w, "src/", "mdbook")

    def write_mkdocs(self, root: str):
        w = FileWriter(root)
        w.put("mkdocs.yml", f"""site_name: "Aide numérique — Collège de synthèse ({self.n} fiches)"
docs_dir: docs
site_dir: site
use_directory_urls: true
theme:
  name: material
  language: fr
plugins:
  - search:
      lang: fr
""")
        self.write_book_tree(w, "docs/", "mkdocs")

    def write_hugo(self, root: str):
        w = FileWriter(root)
        w.put("hugo.toml", f"""baseURL = "https://example.org/"
languageCode = "fr"
defaultContentLanguage = "fr"
title = "Aide numérique — Collège de synthèse ({self.n} fiches)"
# fiches makes no tag pages: Hugo is spared them.
disableKinds = ["taxonomy", "term"]

[markup.highlight]
noClasses = false
""")
        for name, text in HUGO_LAYOUTS.items():
            w.put(f"layouts/{name}", text)
        w.put("content/_index.md", f'+++\ntitle = "Aide numérique"\n+++\n\nCorpus de mesure de {self.n} fiches.\n')
        w.put("content/fiches/_index.md", '+++\ntitle = "Toutes les fiches"\n+++\n')
        for c in self.cats:
            w.put(f"content/fiches/{c.folder}/_index.md",
                  f'+++\ntitle = {toml_str(c.title)}\ndescription = {toml_str(self.sentence(None))}\nweight = {c.weight}\n+++\n\n{self.sentence(None)}\n')
        for s in self.sheets:
            fm = [f"title = {toml_str(s.title)}", f"summary = {toml_str(s.summary)}", f"tags = {toml_list(s.tags)}",
                  f"audience = {toml_list(s.audience)}", f"date = {s.updated}", f"weight = {s.weight}"]
            w.put(f"content/fiches/{self.sheet_id(s.idx)}.md", "+++\n" + "\n".join(fm) + "\n+++\n\n" + self.fill(s, "hugo"))
        w.put("content/apero-tice/_index.md", '+++\ntitle = "Apéro\'TICE"\n+++\n')
        for se in self.sessions:
            refs = "\n".join(f"- [{self.sheets[j].title}](/fiches/{self.sheet_id(j)}/)" for j in se["fiches"])
            w.put(f"content/apero-tice/{se['slug']}.md",
                  f"+++\ntitle = {toml_str(se['title'])}\ndate = {se['date']}\ntags = {toml_list(se['tags'])}\n+++\n\n{se['body']}\n## Fiches liées\n\n{refs}\n")
        w.put("content/parcours/_index.md", '+++\ntitle = "Parcours"\n+++\n')
        for p in self.paths:
            refs = "\n".join(f"1. [{self.sheets[j].title}](/fiches/{self.sheet_id(j)}/)" for j in p["fiches"])
            w.put(f"content/parcours/{p['slug']}.md", f"+++\ntitle = {toml_str(p['title'])}\n+++\n\n{p['body']}\n{refs}\n")
        acts = ['+++\ntitle = "Actions autorisées"\n+++\n']
        for aid, title, who, cond, ref in self.actions:
            acts.append(f"## {title}\n\nQui : {', '.join(who)}. {cond}\n\n*{ref}*\n")
        w.put("content/actions.md", "\n".join(acts))
        self.write_images(os.path.join(root, "static", "images"))


HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} — {{ end }}{{ .Site.Title }}</title>
<link rel="stylesheet" href="/pagefind/pagefind-ui.css">
</head>
<body>
<header>
<a href="/">{{ .Site.Title }}</a>
<div id="search"></div>
<nav><ul>
{{ with .Site.GetPage "/fiches" }}{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}{{ end }}<li><a href="/apero-tice/">Apéro'TICE</a></li><li><a href="/parcours/">Parcours</a></li><li><a href="/actions/">Actions</a></li>
</ul></nav>
</header>
<main data-pagefind-body>
{{ block "main" . }}{{ end }}
</main>
<footer><a href="/actions/">Actions autorisées</a> · <a href="/index.xml">Flux</a></footer>
<script src="/pagefind/pagefind-ui.js"></script>
<script>window.addEventListener('DOMContentLoaded',()=>{new PagefindUI({element:"#search"})});</script>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<nav aria-label="fil d'Ariane"><a href="/">Accueil</a>{{ with .Parent }} › <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
{{ with .Params.tags }}<ul class="tags">{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
{{ with .Params.audience }}<p>Public : {{ delimit . ", " }}</p>{{ end }}
{{ if not .Date.IsZero }}<p>Mise à jour : {{ .Date.Format "2006-01-02" }}</p>{{ end }}
{{ .TableOfContents }}
{{ .Content }}
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ range .Sections }}<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>{{ end }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.summary }} — {{ . }}{{ end }}</li>
{{ end }}</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
{{ .Content }}
{{ with .Site.GetPage "/fiches" }}<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>{{ end }}</ul>{{ end }}
<h2>Mises à jour récentes</h2>
<ul>{{ range first 6 (where .Site.RegularPages "Section" "fiches").ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
}


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def ne(v: str) -> str:
    return ("n'" if starts_vowel(v) else "ne ") + v


def md_escape(s: str) -> str:
    return s.replace("[", "\\[").replace("]", "\\]")


def png(w: int, h: int, k: int) -> bytes:
    """A small valid RGB PNG: a two-tone pattern, different for each k."""
    rnd = random.Random(k)
    c1 = bytes(rnd.randrange(256) for _ in range(3))
    c2 = bytes(rnd.randrange(256) for _ in range(3))
    rows = []
    for y in range(h):
        row = bytearray(b"\x00")
        for x in range(w):
            row += c1 if ((x // 8) + (y // 8) + k) % 3 else c2
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


class FileWriter:
    def __init__(self, root: str):
        self.root = root
        self.dirs: set[str] = set()

    def put(self, rel: str, text: str):
        p = os.path.join(self.root, rel)
        d = os.path.dirname(p)
        if d not in self.dirs:
            os.makedirs(d, exist_ok=True)
            self.dirs.add(d)
        with open(p, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output folder (one subfolder per format, replaced)")
    ap.add_argument("--sheets", type=int, default=1000, help="number of sheets (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--formats", default="fiches,mdbook,hugo", help=f"comma-separated, among {','.join(FORMATS)}")
    ap.add_argument("--shape", default="long", choices=sorted(SHAPES),
                    help="long: 300-900 words, one folder level (default); short: 80-320 words, "
                         "3 sub-folders per category on 2 more levels")
    ap.add_argument("--words", default=None, help="MIN,MODE,MAX words per sheet (overrides the shape)")
    ap.add_argument("--subcategories", type=int, default=None, help="sub-folders per category (overrides the shape)")
    ap.add_argument("--depth", type=int, default=None, help="levels of sub-folders (overrides the shape)")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    shape = dict(SHAPES[a.shape])
    if a.words:
        shape["words"] = tuple(int(x) for x in a.words.split(","))
    if a.subcategories is not None:
        shape["subcategories"] = a.subcategories
    if a.depth is not None:
        shape["depth"] = a.depth
    fmts = [f.strip() for f in a.formats.split(",") if f.strip()]
    bad = [f for f in fmts if f not in FORMATS]
    if bad or a.sheets < 2:
        ap.error(f"unknown format(s) {bad}" if bad else "--sheets must be at least 2")
    t0 = time.perf_counter()
    g = Writer(a.seed, a.sheets, **shape)
    g.generate()
    t1 = time.perf_counter()
    for f in fmts:
        d = os.path.join(a.out, f)
        if os.path.exists(d):
            shutil.rmtree(d)
        getattr(g, f"write_{f}")(d)
    t2 = time.perf_counter()
    if not a.quiet:
        words = sum(len(s.body.split()) for s in g.sheets)
        print(f"{a.sheets} fiches, {len(g.cats)} catégories, {len(g.sessions)} Apéro'TICE, {len(g.paths)} parcours, "
              f"{len(g.actions)} actions, {words} mots ({words // a.sheets}/fiche) ; texte {t1 - t0:.1f} s, "
              f"écriture {', '.join(fmts)} {t2 - t1:.1f} s -> {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
