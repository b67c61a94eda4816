//! Names in SQL text: every table and column name is checked and quoted for its database, so a
//! name can never end a statement or start another; values are always bound, never written in.

use super::DatabaseKind;

/// The longest name part accepted (PostgreSQL cuts at 63 bytes, MySQL at 64).
const MAX_NAME: usize = 64;

/// `name` quoted as one identifier: `"a""b"` (PostgreSQL, SQLite) or `` `a``b` `` (MySQL).
/// Names that are empty, too long or hold control characters are refused.
pub fn quote_ident(kind: DatabaseKind, name: &str) -> Result<String, String> {
    if name.is_empty() {
        return Err("a name is empty".into());
    }
    if name.len() > MAX_NAME {
        return Err(format!("{name:?} is longer than {MAX_NAME} bytes"));
    }
    if name.chars().any(char::is_control) {
        return Err(format!("{name:?} contains a control character"));
    }
    let quote = if kind == DatabaseKind::Mysql { '`' } else { '"' };
    let doubled = name.replace(quote, &format!("{quote}{quote}"));
    Ok(format!("{quote}{doubled}{quote}"))
}

/// A table name, optionally with its schema (`schema.table`), each part quoted.
pub fn quote_table(kind: DatabaseKind, table: &str) -> Result<String, String> {
    let parts: Vec<&str> = table.split('.').collect();
    if parts.len() > 2 {
        return Err(format!("{table:?} has more than two parts; write table or schema.table"));
    }
    let quoted: Vec<String> = parts.iter().map(|p| quote_ident(kind, p)).collect::<Result<_, _>>()?;
    Ok(quoted.join("."))
}

/// The `n`-th (from 1) placeholder of a statement.
pub fn placeholder(kind: DatabaseKind, n: usize) -> String {
    match kind {
        DatabaseKind::Postgres => format!("${n}"),
        _ => "?".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DatabaseKind::*;

    #[test]
    fn quotes_are_doubled_so_a_name_stays_one_name() {
        assert_eq!(quote_ident(Postgres, "orders").unwrap(), "\"orders\"");
        assert_eq!(quote_ident(Postgres, "a\"; DROP TABLE x; --").unwrap(), "\"a\"\"; DROP TABLE x; --\"");
        assert_eq!(quote_ident(Mysql, "a`b").unwrap(), "`a``b`");
        assert_eq!(quote_table(Sqlite, "main.orders").unwrap(), "\"main\".\"orders\"");
    }

    #[test]
    fn bad_names_are_refused() {
        for bad in ["", "a.b.c", "x\u{0}y", "a..b", &"n".repeat(65)] {
            assert!(quote_table(Postgres, bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn placeholders_follow_the_database() {
        assert_eq!(placeholder(Postgres, 3), "$3");
        assert_eq!(placeholder(Mysql, 3), "?");
    }
}
