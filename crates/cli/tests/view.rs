//! `shieldnet view` driven by headless Chromium: the page renders the objects of a known run.
//! Skipped, with a message, where no Chromium is installed (`apt-get install -y chromium`).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

struct Kill(std::process::Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn page_renders_the_objects_of_a_run() {
    let Some(browser) = chromium() else {
        eprintln!(
            "SKIPPED page_renders_the_objects_of_a_run: no chromium on PATH (apt-get install -y chromium)"
        );
        return;
    };
    let bin = env!("CARGO_BIN_EXE_shieldnet");
    let dir = std::env::temp_dir().join(format!("shieldnet-view-test-{}", std::process::id()));
    let out = Command::new(bin).args(["run", "--out"]).arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let mut server = Kill(
        Command::new(bin).arg("view").arg(&dir).args(["--port", "0"]).stdout(Stdio::piped()).spawn().unwrap(),
    );
    let mut line = String::new();
    BufReader::new(server.0.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url =
        line.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).expect("URL printed").to_owned();

    let profile = dir.join("chromium-profile");
    let dom = Command::new(&browser)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(&url)
        .stderr(Stdio::null())
        .output()
        .expect("run chromium");
    let html = String::from_utf8_lossy(&dom.stdout);
    assert!(html.contains(r#"data-rendered="true""#), "page did not finish rendering:\n{html}");
    // The default run: 10 threats, 5 radars, 3 batteries, both parties' pictures, the coastlines.
    for id in [
        "tabriz-bucharest-1",
        "shahrud-ankara-1",
        "tpy2-kurecik",
        "voronezh-armavir",
        "aa-deveselu",
        "rus-krasnodar",
    ] {
        assert!(html.contains(&format!(">{id}<")), "{id} not listed");
    }
    assert!(html.contains(r#"id="party-NATO""#) && html.contains(r#"id="party-RUS""#));
    assert!(html.contains("NATO: ") && html.contains("RUS: "), "no tracks per party");
    assert!(html.contains(r#"data-kind="intercept""#), "no intercept drawn");
    assert!(html.contains("126 coastlines"), "coastlines not drawn");
    let _ = std::fs::remove_dir_all(&dir);
}
