//! Where the workspace lives, and how child processes are started and checked.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// What every fallible xtask step returns: the error is one line for the user.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root and the `PATH` that child processes see.
pub struct Workspace {
    root: PathBuf,
    path: OsString,
}

impl Workspace {
    /// The workspace that contains this xtask; `PATH` gains the npm tools of `tests/`
    /// (wasm-opt) and cargo's install directory (trunk, wasm-bindgen).
    pub fn locate() -> Workspace {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask lives inside the workspace")
            .to_path_buf();
        let mut dirs = vec![root.join("tests/node_modules/.bin")];
        dirs.extend(cargo_bin_dir());
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let path = std::env::join_paths(dirs).expect("PATH entries contain no separator");
        Workspace { root, path }
    }

    /// The workspace root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `dist/`, where Trunk writes the site.
    pub fn dist(&self) -> PathBuf {
        self.root.join("dist")
    }

    /// `tests/`, the browser suite and its npm packages.
    pub fn tests(&self) -> PathBuf {
        self.root.join("tests")
    }

    /// A command run from the workspace root with the workspace `PATH`.
    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.root).env("PATH", &self.path);
        command
    }

    /// The cargo that runs this xtask.
    pub fn cargo(&self) -> Command {
        self.command(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
    }

    /// Runs `command` with inherited output; an error names the command and its exit status.
    pub fn run(&self, command: &mut Command) -> Result {
        let status = command
            .status()
            .map_err(|e| format!("cannot run `{}`: {e}", describe(command)))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", describe(command)))
        }
    }

    /// The trimmed standard output of `command`, or `None` when it cannot run or fails.
    pub fn output(&self, command: &mut Command) -> Option<String> {
        let output = command.output().ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }
}

/// Where `cargo install` puts binaries.
fn cargo_bin_dir() -> Option<PathBuf> {
    let root = std::env::var_os("CARGO_INSTALL_ROOT")
        .or_else(|| std::env::var_os("CARGO_HOME"))
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
    Some(root.join("bin"))
}

/// `program arg arg…`, for messages.
fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

/// `4.2 s` or `3 min 12 s`.
pub fn format_duration(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds < 60.0 {
        format!("{seconds:.1} s")
    } else {
        format!(
            "{} min {:02} s",
            duration.as_secs() / 60,
            duration.as_secs() % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(Duration::from_millis(4_240)), "4.2 s");
        assert_eq!(format_duration(Duration::from_secs(192)), "3 min 12 s");
    }
}
