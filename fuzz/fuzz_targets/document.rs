//! Any bytes as a dataflow document, the way `PUT /dataflows/{name}` and import take them:
//! parsing may fail, validation may report problems, nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use model::{DataflowDocument, check_complete, validate_document};

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = serde_json::from_slice::<DataflowDocument>(data) else { return };
    let problems = validate_document(&doc);
    let complete = check_complete(&doc);
    // Completeness adds to the structural problems; it never drops one.
    assert!(complete.len() >= problems.len());
    let _ = doc.required_modules();
    for policy_attempt in 2..=doc.run_policy.max_attempts.min(64) {
        let _ = doc.run_policy.backoff_before(policy_attempt);
    }
    // What a node stores is what it parsed: the document survives a round trip.
    let text = serde_json::to_vec(&doc).expect("a parsed document serialises");
    let again: DataflowDocument = serde_json::from_slice(&text).expect("a serialised document parses");
    assert_eq!(validate_document(&again).len(), problems.len());
});
