//! Keeping secrets out of the export. Vigil stores no token in the database, but a user can type
//! `https://user:password@host` as a base URL, and options and settings are free JSON, so the
//! export strips URL credentials and blanks every JSON member whose name says it is a secret.

use serde_json::Value;

/// What a blanked secret reads as in the export.
pub const REDACTED: &str = "<redacted>";

/// Words in a JSON member's name that mark its value as a secret.
const SECRET_WORDS: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "apikey",
    "api_key",
    "authorization",
    "credential",
];

/// The sources as exported: URL credentials stripped, secret-looking options blanked, the last
/// sync error read as [`free_text`] (a vendor may echo what it was sent), and the
/// sync cursor left out (it is the connector's resume point, which may quote a vendor's next-page
/// link, and means nothing outside this database).
pub fn sources(rows: Vec<Value>) -> Vec<Value> {
    rows.into_iter()
        .map(|mut row| {
            if let Value::Object(fields) = &mut row {
                fields.remove("sync_cursor");
                if let Some(Value::String(error)) = fields.get_mut("last_error") {
                    *error = free_text(error);
                }
            }
            self::row(row)
        })
        .collect()
}

/// One exported row with every text column cleaned: URLs lose their credentials, JSON text loses
/// its secret-looking members.
pub fn row(mut row: Value) -> Value {
    if let Value::Object(fields) = &mut row {
        for value in fields.values_mut() {
            if let Value::String(text) = value {
                *text = text_value(text);
            }
        }
    }
    row
}

/// A text column's value, cleaned.
fn text_value(text: &str) -> String {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(mut json) = serde_json::from_str::<Value>(text) {
            json_value(&mut json);
            return json.to_string();
        }
    }
    text.split(' ')
        .map(url_without_credentials)
        .collect::<Vec<_>>()
        .join(" ")
}

fn json_value(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            for (name, member) in fields.iter_mut() {
                if is_secret_name(name) {
                    *member = Value::from(REDACTED);
                } else {
                    json_value(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(json_value),
        Value::String(text) => *text = url_without_credentials(text),
        _ => {}
    }
}

/// `text` with the user and password of a URL in it removed and its secret-looking query values
/// blanked; anything that is not such a URL comes back unchanged.
pub fn url_without_credentials(text: &str) -> String {
    let Ok(mut url) = url::Url::parse(text) else {
        return text.to_owned();
    };
    let secret_query = url.query_pairs().any(|(name, _)| is_secret_name(&name));
    if url.username().is_empty() && url.password().is_none() && !secret_query {
        return text.to_owned();
    }
    // Both setters only fail on URLs that cannot have credentials at all.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if secret_query {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if is_secret_name(&name) {
                    REDACTED.into()
                } else {
                    value.into()
                };
                (name.into_owned(), value)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

/// Free text (a sync error, a log line) with URL credentials removed and the word after
/// `Bearer`, `token` or `Authorization` blanked, as well as `name=value` pairs whose name says
/// secret. A vendor that echoes a secret in another shape is not caught; the callers only pass
/// text Vigil itself wrote around the vendor's answer.
pub fn free_text(text: &str) -> String {
    let mut out = Vec::new();
    let mut blank_next = false;
    for word in text.split(' ') {
        let lower = word.to_ascii_lowercase();
        let cleaned = if blank_next && !word.is_empty() {
            REDACTED.to_owned()
        } else if let Some((name, _)) = word.split_once('=').filter(|(n, _)| is_secret_name(n)) {
            format!("{name}={REDACTED}")
        } else {
            url_without_credentials(word)
        };
        blank_next = [
            "bearer",
            "token",
            "token:",
            "authorization:",
            "token=",
            "basic",
        ]
        .contains(&lower.as_str());
        out.push(cleaned);
    }
    out.join(" ")
}

fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_WORDS.iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_loses_its_user_and_password() {
        let clean = url_without_credentials("https://ops:s3cret@pd.example.com/api");
        assert_eq!(clean, "https://pd.example.com/api");
    }

    #[test]
    fn a_secret_member_deep_in_json_text_is_blanked() {
        let cleaned = text_value(r#"{"page_id":"p1","hooks":[{"api_token":"abc"}]}"#);
        assert!(!cleaned.contains("abc"), "{cleaned}");
        assert!(cleaned.contains("p1"), "{cleaned}");
    }

    #[test]
    fn a_bearer_token_and_a_secret_query_in_an_error_are_blanked() {
        let cleaned = free_text("401 from https://x.io/a?api_key=abc with Bearer xyz");
        assert!(
            !cleaned.contains("abc") && !cleaned.contains("xyz"),
            "{cleaned}"
        );
        assert!(
            cleaned.starts_with("401 from https://x.io/a?api_key="),
            "{cleaned}"
        );
        let paged = url_without_credentials("https://x.io/a?page=2&token=abc");
        assert!(
            paged.contains("page=2") && !paged.contains("abc"),
            "{paged}"
        );
    }

    #[test]
    fn plain_text_is_left_as_it_is() {
        assert_eq!(text_value("Checkout errors"), "Checkout errors");
    }
}
