//! Small process and port helpers shared by the rig pieces.

use crate::RigError;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// Fails with [`RigError::Missing`] when `program` is not on the `PATH`.
pub fn require(program: &'static str) -> Result<(), RigError> {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false);
    if found {
        Ok(())
    } else {
        Err(RigError::Missing(program))
    }
}

/// Spawns `command`, naming it in the error.
pub(crate) fn spawn(command: &mut Command, what: &str) -> Result<Child, RigError> {
    command.spawn().map_err(|source| RigError::Io {
        what: format!("starting {what}"),
        source,
    })
}

/// Polls `ready` every 50 ms until it answers true or `timeout` passes.
pub(crate) fn wait_until(
    what: &str,
    timeout: Duration,
    mut ready: impl FnMut() -> bool,
) -> Result<(), RigError> {
    let deadline = Instant::now() + timeout;
    loop {
        if ready() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(RigError::NotReady {
                what: what.to_owned(),
                timeout,
            });
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Stops a child politely (SIGTERM, so it can stop its own children), then for good.
pub fn stop_gracefully(child: &mut Child) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A TCP port free on loopback right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("loopback must allow binding an ephemeral port")
}

/// Waits until something accepts connections on `127.0.0.1:port`.
pub fn wait_for_port(port: u16, timeout: Duration) -> Result<(), RigError> {
    wait_until(&format!("a listener on port {port}"), timeout, || {
        TcpStream::connect(("127.0.0.1", port)).is_ok()
    })
}
