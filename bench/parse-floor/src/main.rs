//! The "parse floor" for `portfolio check` and `portfolio report`: walk
//! `<root>/tiltak/**.md`, read every file, cut out the front matter between the
//! `---` lines and parse it into a generic `serde_yaml::Value` with the same
//! YAML crate the tool uses. Nothing else: no rules, no Markdown, no Git.
//!
//! Usage: parse-floor [--threads N] [ROOT]   (default: all cores, ROOT = .)

use std::path::{Path, PathBuf};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        let path = entry.path();
        if kind.is_dir() {
            walk(&path, out);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// The YAML between an opening `---` line and the next `---` line.
fn front_matter(text: &str) -> Option<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n"))?;
    let mut at = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some(&rest[..at]);
        }
        at += line.len();
    }
    None
}

/// 1 when the file's front matter parses as a YAML mapping.
fn parse(path: &Path) -> usize {
    let Ok(text) = std::fs::read_to_string(path) else { return 0 };
    let Some(yaml) = front_matter(&text) else { return 0 };
    match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(serde_yaml::Value::Mapping(m)) => usize::from(!m.is_empty()),
        _ => 0,
    }
}

fn main() {
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut root = PathBuf::from(".");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--threads" | "-j" => {
                threads = args.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0).unwrap_or_else(|| {
                    eprintln!("--threads needs a positive number");
                    std::process::exit(2)
                })
            }
            "-h" | "--help" => {
                println!("usage: parse-floor [--threads N] [ROOT]");
                return;
            }
            other => root = PathBuf::from(other),
        }
    }
    let mut files = Vec::new();
    walk(&root.join("tiltak"), &mut files);
    let next = AtomicUsize::new(0);
    let parsed: usize = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut ok = 0;
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = files.get(i) else { break };
                        ok += parse(path);
                    }
                    ok
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
    });
    println!("{parsed} of {} files parsed", files.len());
}
