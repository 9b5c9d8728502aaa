//! The book (`docs/`): mdBook, as `./scripts/setup` installs it, builds it
//! without a warning; every page of `SUMMARY.md` is rendered; every
//! `{{#include}}` names a file and anchor that exist and none is left
//! unresolved; and every relative link between pages, fragment included,
//! lands on something.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the repository's root")
}

/// The mdBook `./scripts/setup` installs, at the version `docs/mdbook.env`
/// pins.
fn mdbook() -> PathBuf {
    let pins = std::fs::read_to_string(root().join("docs/mdbook.env")).expect("docs/mdbook.env");
    let version = pins
        .lines()
        .find_map(|line| line.strip_prefix("MDBOOK="))
        .expect("MDBOOK= in docs/mdbook.env");
    let toolchains = std::env::var_os("GAMEHOST_TOOLCHAINS").map_or_else(
        || {
            PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
                .join(".cache/gamehost/toolchains")
        },
        PathBuf::from,
    );
    let mdbook = toolchains.join("bin/mdbook");
    let installed = Command::new(&mdbook)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    assert_eq!(
        installed,
        format!("mdbook v{version}"),
        "mdbook {version} is not at {}: run ./scripts/setup",
        mdbook.display()
    );
    mdbook
}

/// The pages `SUMMARY.md` links, as paths under `docs/src`.
fn summary_pages(src: &Path) -> Vec<String> {
    let summary = std::fs::read_to_string(src.join("SUMMARY.md")).expect("SUMMARY.md");
    summary
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(str::to_owned)
        .collect()
}

/// Every `{{#include PATH[:ANCHOR]}}` in `page`: (path, anchor).
fn includes(page: &str) -> Vec<(String, Option<String>)> {
    page.split("{{#include ")
        .skip(1)
        .filter_map(|rest| rest.split("}}").next())
        .map(|target| match target.split_once(':') {
            Some((path, anchor)) if !anchor.chars().all(|c| c.is_ascii_digit() || c == ':') => {
                (path.to_owned(), Some(anchor.to_owned()))
            }
            Some((path, _)) => (path.to_owned(), None),
            None => (target.to_owned(), None),
        })
        .collect()
}

/// The values of attribute `name` (`href`, `id`) in `html`.
fn attributes<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.split(needle.as_str())
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[test]
fn the_book_builds_with_every_page_include_and_link() {
    let root = root();
    let src = root.join("docs/src");
    let out_dir = gamehost_tests::temp_dir("gamehost-book");
    let out = out_dir.path();
    let built = Command::new(mdbook())
        .arg("build")
        .arg(root.join("docs"))
        .arg("--dest-dir")
        .arg(out)
        .output()
        .expect("running mdbook");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&built.stdout),
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(built.status.success(), "mdbook build failed:\n{printed}");
    assert!(
        !printed.contains("WARN") && !printed.contains("ERROR"),
        "mdbook warned:\n{printed}"
    );

    let pages = summary_pages(&src);
    assert!(pages.len() > 20, "SUMMARY.md lists {} pages", pages.len());
    let mut rendered = BTreeMap::new();
    for page in &pages {
        let source = std::fs::read_to_string(src.join(page))
            .unwrap_or_else(|e| panic!("the page {page} of SUMMARY.md: {e}"));
        for (path, anchor) in includes(&source) {
            let file = src.join(page).parent().expect("a folder").join(&path);
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{page} includes {path}: {e}"));
            if let Some(anchor) = anchor {
                assert!(
                    text.contains(&format!("ANCHOR: {anchor}"))
                        && text.contains(&format!("ANCHOR_END: {anchor}")),
                    "{page} includes {path}:{anchor}, an anchor the file does not have"
                );
            }
        }
        let html_path = page.replace(".md", ".html");
        let html = std::fs::read_to_string(out.join(&html_path))
            .unwrap_or_else(|e| panic!("{page} was not rendered: {e}"));
        assert!(!html.contains("{{#"), "{page} has an unresolved {{{{#…}}}}");
        rendered.insert(html_path, html);
    }

    let ids: BTreeMap<&String, BTreeSet<&str>> = rendered
        .iter()
        .map(|(path, html)| (path, attributes(html, "id").into_iter().collect()))
        .collect();
    let mut broken = Vec::new();
    for (path, html) in &rendered {
        for href in attributes(html, "href") {
            if href.contains("://") || href.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = href.split_once('#').unwrap_or((href, ""));
            let target = if file.is_empty() {
                path.clone()
            } else {
                let joined = Path::new(path).parent().expect("a folder").join(file);
                normalized(&joined)
            };
            if !out.join(&target).exists() {
                broken.push(format!("{path}: {href}"));
            } else if !fragment.is_empty()
                && ids.get(&target).is_some_and(|ids| !ids.contains(fragment))
            {
                broken.push(format!("{path}: {href} (no such heading)"));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// `path` with its `..` and `.` resolved, as a path relative to the book.
fn normalized(path: &Path) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.iter().filter_map(|p| p.to_str()) {
        match part {
            "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}
