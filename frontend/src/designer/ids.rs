//! Stage ids: the rule a valid one follows and how fresh ones are made (`filter`, `filter_2`, …).

/// Checks `id` against the rule of the model's validator (`is_identifier` in
/// `model::dataflow::validate`, which is private): a letter or `_`, then letters, digits, `_`
/// or `-`. A `.` would be read as a port separator in edge ends, so it is never allowed.
pub fn check_stage_id(id: &str) -> Result<(), String> {
    let mut chars = id.chars();
    let Some(first) = chars.next() else {
        return Err("a stage id must not be empty".into());
    };
    if !(first.is_ascii_alphabetic() || first == '_') {
        return Err(format!("stage id {id:?} must start with a letter or '_'"));
    }
    if let Some(bad) = chars.find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))) {
        return Err(format!("stage id {id:?} must not contain {bad:?}; use letters, digits, '_' or '-'"));
    }
    Ok(())
}

/// An id not yet `taken`: `wanted` itself when it is free, else `base_2`, `base_3`, … where
/// `base` is `wanted` without a trailing `_<number>` (so copying `filter_2` gives `filter_3`,
/// not `filter_2_2`). An invalid `wanted` is first cleaned into a valid id.
pub fn fresh_stage_id(wanted: &str, taken: impl Fn(&str) -> bool) -> String {
    let clean = sanitize(wanted);
    if !taken(&clean) {
        return clean;
    }
    let base = strip_counter(&clean);
    // At most `taken`-many candidates are rejected, so this ends.
    (2u64..)
        .map(|n| format!("{base}_{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| format!("{base}_x"))
}

/// Keeps the characters an id allows, turns the others into `_`, and makes it start right; a
/// valid id comes back unchanged.
fn sanitize(wanted: &str) -> String {
    let cleaned: String =
        wanted.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    match cleaned.chars().next() {
        None => "stage".to_owned(),
        Some(c) if c.is_ascii_alphabetic() || c == '_' => cleaned,
        Some(_) => format!("s_{cleaned}"),
    }
}

fn strip_counter(id: &str) -> &str {
    match id.rsplit_once('_') {
        Some((base, n)) if !base.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_validators_rule() {
        for good in ["read", "_tmp", "a-b_c9", "X"] {
            assert_eq!(check_stage_id(good), Ok(()), "{good}");
        }
        for bad in ["", "9lives", "-x", "has space", "dot.ted", "é"] {
            assert!(check_stage_id(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn fresh_ids_count_up_from_two() {
        let taken = ["filter", "filter_2", "read"];
        let is_taken = |id: &str| taken.contains(&id);
        assert_eq!(fresh_stage_id("join", is_taken), "join");
        assert_eq!(fresh_stage_id("filter", is_taken), "filter_3");
        assert_eq!(fresh_stage_id("filter_2", is_taken), "filter_3");
        assert_eq!(fresh_stage_id("read", is_taken), "read_2");
    }

    #[test]
    fn invalid_wishes_are_cleaned() {
        let none = |_: &str| false;
        assert_eq!(fresh_stage_id("my stage", none), "my_stage");
        assert_eq!(fresh_stage_id("9", none), "s_9");
        assert_eq!(fresh_stage_id("", none), "stage");
        assert_eq!(fresh_stage_id("", |id: &str| id == "stage"), "stage_2");
        assert_eq!(check_stage_id(&fresh_stage_id("a.b", none)), Ok(()));
    }
}
