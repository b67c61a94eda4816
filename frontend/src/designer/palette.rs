//! The palette's content: the catalog's stage types that fit the dataflow's kind, filtered by
//! the search box and grouped by module, then category, in a fixed reading order.

use model::{DataflowKind, StageSpec};

/// Categories in the order a dataflow is read: where records come from, what happens to them,
/// where they go. Unknown categories follow, alphabetically.
const CATEGORY_ORDER: &[&str] = &["source", "transform", "combine", "flow", "sink", "process"];

/// One heading of the palette and its entries, in catalog order.
#[derive(Debug, Clone, PartialEq)]
pub struct PaletteGroup<'a> {
    pub module: &'a str,
    pub category: &'a str,
    pub entries: Vec<&'a StageSpec>,
}

/// Whether stages of `stage_type` belong in a dataflow of `kind`: process flows are made of
/// `run_job` steps and nothing else; `input` and `output` belong to services and subflows.
pub fn fits_kind(stage_type: &str, kind: DataflowKind) -> bool {
    match kind {
        DataflowKind::Process => stage_type == "run_job",
        DataflowKind::Job => !matches!(stage_type, "run_job" | "input" | "output"),
        DataflowKind::Service | DataflowKind::Subflow => stage_type != "run_job",
    }
}

/// Whether `spec` matches every word of `query` (case-insensitive, in its type, title,
/// description, module or category).
pub fn matches(spec: &StageSpec, query: &str) -> bool {
    let haystack =
        format!("{} {} {} {} {}", spec.stage_type, spec.title, spec.description, spec.module, spec.category)
            .to_lowercase();
    query.to_lowercase().split_whitespace().all(|word| haystack.contains(word))
}

/// The palette for a dataflow of `kind` and a search `query`: `core` first, then the other
/// modules alphabetically; within a module, categories in reading order. Empty groups are left out.
pub fn palette<'a>(catalog: &'a [StageSpec], kind: DataflowKind, query: &str) -> Vec<PaletteGroup<'a>> {
    let mut groups: Vec<PaletteGroup<'a>> = Vec::new();
    for spec in catalog.iter().filter(|s| fits_kind(&s.stage_type, kind) && matches(s, query)) {
        match groups.iter_mut().find(|g| g.module == spec.module && g.category == spec.category) {
            Some(group) => group.entries.push(spec),
            None => groups.push(PaletteGroup {
                module: &spec.module,
                category: &spec.category,
                entries: vec![spec],
            }),
        }
    }
    let category_rank =
        |category: &str| CATEGORY_ORDER.iter().position(|c| *c == category).unwrap_or(CATEGORY_ORDER.len());
    groups.sort_by(|a, b| {
        (a.module != "core", a.module, category_rank(a.category), a.category).cmp(&(
            b.module != "core",
            b.module,
            category_rank(b.category),
            b.category,
        ))
    });
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(groups: &[PaletteGroup<'_>]) -> Vec<Vec<String>> {
        groups.iter().map(|g| g.entries.iter().map(|s| s.stage_type.clone()).collect()).collect()
    }

    #[test]
    fn jobs_see_core_in_reading_order_then_other_modules() {
        let catalog = model::catalog();
        let groups = palette(&catalog, DataflowKind::Job, "");
        let headings: Vec<(&str, &str)> = groups.iter().map(|g| (g.module, g.category)).collect();
        assert_eq!(
            headings,
            [
                ("core", "source"),
                ("core", "transform"),
                ("core", "combine"),
                ("core", "flow"),
                ("core", "sink"),
                ("address", "address"),
                ("quality", "quality")
            ]
        );
        let all: Vec<String> = types(&groups).concat();
        assert!(!all.iter().any(|t| t == "input" || t == "output" || t == "run_job"), "{all:?}");
        assert_eq!(types(&groups)[3], ["subflow"]);
    }

    #[test]
    fn process_flows_only_offer_steps() {
        let catalog = model::catalog();
        assert_eq!(types(&palette(&catalog, DataflowKind::Process, "")), [["run_job"]]);
        let service = palette(&catalog, DataflowKind::Service, "");
        assert!(types(&service).concat().contains(&"input".to_owned()));
    }

    #[test]
    fn search_matches_every_word_anywhere() {
        let catalog = model::catalog();
        assert_eq!(types(&palette(&catalog, DataflowKind::Job, "CSV")), [["read_csv"], ["write_csv"]]);
        assert_eq!(types(&palette(&catalog, DataflowKind::Job, "write csv")), [["write_csv"]]);
        assert_eq!(
            types(&palette(&catalog, DataflowKind::Job, "duplicates")).concat(),
            ["distinct", "match"]
        );
        assert!(palette(&catalog, DataflowKind::Job, "nothing-like-this").is_empty());
    }
}
