//! Replays a target's committed seed corpus (`fuzz/corpus/<target>/`) through its property, so
//! the ordinary test suite exercises the fuzz properties without nightly.

use std::path::PathBuf;

/// Runs `check` on every file of `fuzz/corpus/<target>/`; fails when there are none.
pub(crate) fn replay(manifest_dir: &str, target: &str, check: fn(&[u8])) {
    let dir = PathBuf::from(manifest_dir)
        .join("../../fuzz/corpus")
        .join(target);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut replayed = 0;
    for entry in entries {
        let path = entry.expect("corpus entry").path();
        // Shown with the failure, if any.
        eprintln!("replaying {}", path.display());
        check(&std::fs::read(&path).expect("corpus file"));
        replayed += 1;
    }
    assert!(replayed > 0, "empty corpus {}", dir.display());
}
