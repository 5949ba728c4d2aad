//! The GitHub workflows, checked offline: they parse, CI runs the README's test command on every
//! push and pull request within the 90 minutes it is allowed, and Pages publishes only a commit
//! that CI passed.

use serde_yaml::Value;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the repository")
        .to_owned()
}

fn workflow(name: &str) -> Value {
    let path = repo().join(".github/workflows").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name} does not parse: {e}"))
}

/// The command of the README's "Two commands" block that CI runs.
fn readme_test_command() -> String {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    readme
        .lines()
        .find(|line| line.contains("# ") && line.contains("CI runs exactly this"))
        .and_then(|line| line.split('#').next())
        .map(|command| command.trim().to_owned())
        .expect("the README names the command CI runs")
}

/// The keys of a mapping, as strings.
fn keys(value: &Value) -> Vec<String> {
    value
        .as_mapping()
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn ci_runs_the_readme_test_command_on_every_push_and_pull_request() {
    let ci = workflow("ci.yml");
    let triggers = keys(&ci["on"]);
    assert!(triggers.contains(&"push".to_owned()), "{triggers:?}");
    assert!(
        triggers.contains(&"pull_request".to_owned()),
        "{triggers:?}"
    );
    assert!(ci["on"]["push"].is_null(), "every branch: no filter");
    let command = readme_test_command();
    assert_eq!(command, "cargo xtask test");
    let jobs = keys(&ci["jobs"]);
    let runs_it = jobs.iter().find(|job| {
        ci["jobs"][job.as_str()]["steps"]
            .as_sequence()
            .into_iter()
            .flatten()
            .filter_map(|step| step["run"].as_str())
            .any(|run| run.lines().any(|line| line.trim() == command))
    });
    let job = runs_it.expect("a job runs the README's test command");
    let minutes = ci["jobs"][job.as_str()]["timeout-minutes"].as_u64();
    assert!(minutes.is_some_and(|m| m <= 90), "{minutes:?}");
}

#[test]
fn pages_publishes_only_what_ci_passed() {
    let ci = workflow("ci.yml");
    let pages = workflow("pages.yml");
    assert_eq!(keys(&pages["on"]), ["workflow_run"], "no other trigger");
    let run = &pages["on"]["workflow_run"];
    assert_eq!(run["workflows"][0], ci["name"]);
    assert_eq!(run["types"][0].as_str(), Some("completed"));
    let condition = pages["jobs"]["build"]["if"].as_str().unwrap_or_default();
    assert!(
        condition.contains("github.event.workflow_run.conclusion == 'success'"),
        "{condition}"
    );
    assert_eq!(
        pages["jobs"]["build"]["steps"][0]["with"]["ref"].as_str(),
        Some("${{ github.event.workflow_run.head_sha }}"),
        "the commit CI tested"
    );
    assert_eq!(pages["jobs"]["deploy"]["needs"].as_str(), Some("build"));
}
