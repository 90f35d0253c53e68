//! Calendar dates from TOML (`2025-09-12`, bare or quoted).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn today() -> Date {
        Date(chrono::Local::now().date_naive())
    }
    pub fn from_unix(secs: i64) -> Option<Date> {
        chrono::DateTime::from_timestamp(secs, 0).map(|d| Date(d.date_naive()))
    }
    pub fn iso(&self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }
    pub fn year(&self) -> i32 {
        self.0.year()
    }
    pub fn month(&self) -> u32 {
        self.0.month()
    }
    pub fn day(&self) -> u32 {
        self.0.day()
    }
    pub fn days_until(&self, other: Date) -> i64 {
        (other.0 - self.0).num_days()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Toml(toml::value::Datetime),
            Text(String),
            // Without these, `updated = 20250912` got serde's « data did
            // not match any variant of untagged enum Raw », in English.
            Int(i64),
            Float(f64),
            Bool(bool),
            Other(serde::de::IgnoredAny),
        }
        use serde::de::{Error, Unexpected};
        const DATE: &str = "a date";
        let text = match Raw::deserialize(d)? {
            Raw::Int(n) => return Err(D::Error::invalid_type(Unexpected::Signed(n), &DATE)),
            Raw::Float(n) => return Err(D::Error::invalid_type(Unexpected::Float(n), &DATE)),
            Raw::Bool(b) => return Err(D::Error::invalid_type(Unexpected::Bool(b), &DATE)),
            Raw::Other(_) => return Err(D::Error::invalid_type(Unexpected::Other("a list or a table"), &DATE)),
            Raw::Toml(dt) => match dt.date {
                Some(date) => format!("{:04}-{:02}-{:02}", date.year, date.month, date.day),
                None => {
                    return Err(serde::de::Error::custom(
                        "une date (AAAA-MM-JJ) est attendue, pas une heure seule",
                    ))
                }
            },
            Raw::Text(s) => s,
        };
        let day = text.get(..10).unwrap_or(&text);
        NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map(Date)
            .map_err(|_| serde::de::Error::custom(invalid_date(&text)))
    }
}

/// Why `text` is not a date: its form, or (`2025-02-30`, `2025-13-01`) a
/// day that does not exist, which the form alone did not explain.
pub fn invalid_date(text: &str) -> String {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if shaped {
        format!("date invalide « {text} » : ce jour n'existe pas (mois de 01 à 12, jour selon le mois)")
    } else {
        format!("date invalide « {text} » : le format attendu est AAAA-MM-JJ, par exemple 2025-11-14")
    }
}

#[cfg(test)]
mod tests {
    use super::invalid_date;

    #[test]
    fn an_impossible_day_is_not_called_a_bad_format() {
        assert!(invalid_date("2027-02-30").contains("ce jour n'existe pas"));
        assert!(invalid_date("2025-13-01").contains("ce jour n'existe pas"));
        assert!(invalid_date("14/11/2025").contains("AAAA-MM-JJ"));
        assert!(invalid_date("2025-9-1").contains("AAAA-MM-JJ"));
    }
}
