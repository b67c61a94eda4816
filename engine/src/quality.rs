//! The `quality` module's `match`: fuzzy duplicate detection. Records with the same blocking
//! key are compared pairwise on the chosen fields (Jaro-Winkler or normalised Levenshtein,
//! weighted); pairs scoring at least the threshold are linked, and each connected group of
//! records gets one `match_group` number. `match_score` is a record's best score with another
//! member of its group (null for a record that matched nothing).

use std::collections::HashMap;

/// How two values are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Similarity {
    JaroWinkler,
    Levenshtein,
}

impl Similarity {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "jaro_winkler" => Some(Self::JaroWinkler),
            "levenshtein" => Some(Self::Levenshtein),
            _ => None,
        }
    }

    /// 0 (nothing alike) to 1 (equal), case- and surrounding-space-insensitive; a missing value
    /// is like nothing.
    pub fn score(self, a: Option<&str>, b: Option<&str>) -> f64 {
        let (Some(a), Some(b)) = (a, b) else { return 0.0 };
        let (a, b) = (a.trim().to_lowercase(), b.trim().to_lowercase());
        match self {
            Self::JaroWinkler => strsim::jaro_winkler(&a, &b),
            Self::Levenshtein => strsim::normalized_levenshtein(&a, &b),
        }
    }
}

/// One compared field: its values per record, how to compare, its weight.
pub struct Comparison<'a> {
    pub values: Vec<Option<&'a str>>,
    pub similarity: Similarity,
    pub weight: f64,
}

/// Disjoint sets over record indexes.
struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    fn new(n: usize) -> Self {
        Self { parent: (0..n).collect() }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// Group numbers (1, 2, … in order of first appearance) and best scores, per record.
pub fn match_records(
    keys: &[Option<String>],
    comparisons: &[Comparison<'_>],
    threshold: f64,
) -> (Vec<i64>, Vec<Option<f64>>) {
    let n = keys.len();
    let total_weight: f64 = comparisons.iter().map(|c| c.weight).sum();
    let mut blocks: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        // Records without a key are compared with nothing.
        if let Some(key) = key {
            blocks.entry(key.as_str()).or_default().push(i);
        }
    }
    let mut groups = Groups::new(n);
    let mut best: Vec<Option<f64>> = vec![None; n];
    for members in blocks.values() {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                let weighted: f64 =
                    comparisons.iter().map(|c| c.weight * c.similarity.score(c.values[i], c.values[j])).sum();
                let score = if total_weight > 0.0 { weighted / total_weight } else { 0.0 };
                if score >= threshold {
                    groups.join(i, j);
                    for k in [i, j] {
                        best[k] = Some(best[k].map_or(score, |b: f64| b.max(score)));
                    }
                }
            }
        }
    }
    let mut numbers: HashMap<usize, i64> = HashMap::new();
    let group = (0..n)
        .map(|i| {
            let root = groups.root(i);
            let next = numbers.len() as i64 + 1;
            *numbers.entry(root).or_insert(next)
        })
        .collect();
    (group, best.into_iter().map(|s| s.map(|v| (v * 10_000.0).round() / 10_000.0)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names<'a>(values: &[&'a str]) -> Comparison<'a> {
        Comparison {
            values: values.iter().map(|v| Some(*v)).collect(),
            similarity: Similarity::JaroWinkler,
            weight: 1.0,
        }
    }

    #[test]
    fn similar_records_in_a_block_share_a_group() {
        let people = ["Jonathan Smith", "Jonathon Smith", "Mary Jones", "Jon Smith", "Jonathan Smyth"];
        let keys: Vec<Option<String>> =
            ["S", "S", "J", "S", "S"].iter().map(|k| Some(k.to_string())).collect();
        let (group, score) = match_records(&keys, &[names(&people)], 0.9);
        assert_eq!(group, vec![1, 1, 2, 3, 1]);
        assert!(score[0].is_some_and(|s| s > 0.95), "{score:?}");
        assert_eq!(score[2], None, "Mary matched nobody");
    }

    #[test]
    fn records_in_different_blocks_are_never_compared() {
        let same = ["Ann Lee", "Ann Lee"];
        let keys = vec![Some("a".to_string()), Some("b".to_string())];
        assert_eq!(match_records(&keys, &[names(&same)], 0.5).0, vec![1, 2]);
        let (group, _) = match_records(&[None, None], &[names(&same)], 0.5);
        assert_eq!(group, vec![1, 2], "records without a key stay alone");
    }

    #[test]
    fn weights_and_measures_combine() {
        let cities = Comparison {
            values: vec![Some("Oslo"), Some("Bergen")],
            similarity: Similarity::Levenshtein,
            weight: 3.0,
        };
        let people = names(&["Ann Lee", "Ann Lee"]);
        let keys = vec![Some("k".to_string()), Some("k".to_string())];
        let (group, _) = match_records(&keys, &[people, cities], 0.8);
        assert_eq!(group, vec![1, 2], "the heavier city field keeps them apart");
        assert_eq!(Similarity::Levenshtein.score(Some(" ÉCOLE "), Some("école")), 1.0);
        assert_eq!(Similarity::JaroWinkler.score(None, Some("x")), 0.0);
    }
}
