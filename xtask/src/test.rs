//! `cargo xtask test`: exactly what CI runs.

use crate::{cargo, status, workspace_root};

pub(crate) fn run(nextest_args: &[String]) -> Result<(), String> {
    crate::setup::run()?;
    std::env::set_current_dir(workspace_root()).map_err(|e| e.to_string())?;
    status(cargo().args(["fmt", "--all", "--check"]))?;
    status(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The e2e tests drive the built app binary. Built with the whole workspace's features, as
    // the tests are, so the dependencies compile once.
    status(cargo().args(["build", "--workspace", "--bins"]))?;
    status(
        cargo()
            .args(["nextest", "run", "--workspace", "--profile", "ci"])
            .args(nextest_args),
    )
}
