//! The layers, checked from the sources: each crate depends only on the
//! crates below it, and within a crate no two sibling modules use each
//! other, directly or around a cycle.
//!
//! A module's uses are the paths it names starting at `crate`, `super` or
//! `self`, in `use` items (groups expanded) and in code; each is resolved to
//! the deepest module it reaches. A use of a module inside a sibling counts
//! as a use of that sibling, so the check holds at every level of the tree.
//! A child using its parent (or a parent its child) is how Rust modules
//! share items and is not a cycle here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The workspace's crates from the bottom layer up, with their sources.
const LAYERS: &[(&str, &str)] = &[
    ("gamehost-model", "crates/model"),
    ("gamehost-runtime", "crates/runtime"),
    ("gamehost-postgres", "crates/postgres"),
    ("gamehost-daemon", "crates/daemon"),
    ("gamehost-agones", "crates/agones"),
    ("gamehost", "host"),
];

/// A module's path inside its crate; the root is empty.
type ModulePath = Vec<String>;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is in the workspace")
        .to_owned()
}

/// Every module of the crate whose sources are in `src`, with its text
/// (comments removed).
fn modules(src: &Path) -> BTreeMap<ModulePath, String> {
    let mut found = BTreeMap::new();
    let mut folders = vec![src.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("reading a source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).expect("below src");
            let mut module: ModulePath = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("lib" | "main" | "mod")
            ) {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).expect("reading a source file");
            found.insert(module, without_comments(&text));
        }
    }
    found
}

fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.find("//").map_or(line, |at| &line[..at]))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths named by the `use` items of `text`, groups expanded, and by
/// its code.
fn paths(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("use ") {
        let starts_word = at == 0 || !is_ident(rest.as_bytes()[at - 1] as char);
        rest = &rest[at + 4..];
        if !starts_word {
            continue;
        }
        if let Some(end) = rest.find(';') {
            expand("", &rest[..end], &mut found);
            rest = &rest[end..];
        }
    }
    for start in ["crate::", "super::", "self::"] {
        let mut rest = text;
        while let Some(at) = rest.find(start) {
            let starts_word = at == 0 || !is_ident(rest.as_bytes()[at - 1] as char);
            let path: String = rest[at..]
                .chars()
                .take_while(|c| is_ident(*c) || *c == ':')
                .collect();
            if starts_word {
                found.push(path.trim_end_matches(':').to_owned());
            }
            rest = &rest[at + start.len()..];
        }
    }
    found
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Expands `prefix` + `tree` (`a::{b, c::{d}}`) into whole paths.
fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(tree).trim();
        out.push(format!("{prefix}{path}"));
        return;
    };
    let head = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut depth, mut begin) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&format!("{prefix}{head}"), &inner[begin..i], out);
                begin = i + 1;
            }
            _ => {}
        }
    }
    if !inner[begin..].trim().is_empty() {
        expand(&format!("{prefix}{head}"), &inner[begin..], out);
    }
}

/// The module a path named in `from` reaches, if it starts inside the crate.
fn target(
    from: &ModulePath,
    path: &str,
    known: &BTreeMap<ModulePath, String>,
) -> Option<ModulePath> {
    let mut segments = path.split("::").filter(|s| !s.is_empty()).peekable();
    let mut module: ModulePath = match *segments.peek()? {
        "crate" => Vec::new(),
        "super" | "self" => from.clone(),
        _ => return None,
    };
    if segments.peek() == Some(&"crate") {
        segments.next();
    }
    while let Some(segment) = segments.next_if(|s| *s == "super" || *s == "self") {
        if segment == "super" {
            module.pop();
        }
    }
    for segment in segments {
        let mut deeper = module.clone();
        deeper.push(segment.to_owned());
        if !known.contains_key(&deeper) {
            break;
        }
        module = deeper;
    }
    Some(module)
}

/// Cycles among the children of each module, as lists of module paths.
fn sibling_cycles(src: &Path) -> Vec<Vec<String>> {
    let known = modules(src);
    let mut uses: BTreeMap<ModulePath, BTreeSet<ModulePath>> = BTreeMap::new();
    for (module, text) in &known {
        for path in paths(text) {
            if let Some(to) = target(module, &path, &known)
                && &to != module
            {
                uses.entry(module.clone()).or_default().insert(to);
            }
        }
    }
    let parents: BTreeSet<ModulePath> = known
        .keys()
        .filter(|m| !m.is_empty())
        .map(|m| m[..m.len() - 1].to_vec())
        .collect();
    let mut cycles = Vec::new();
    for parent in parents {
        let child_of = |m: &ModulePath| {
            (m.len() > parent.len() && m.starts_with(&parent)).then(|| m[..=parent.len()].to_vec())
        };
        let mut graph: BTreeMap<ModulePath, BTreeSet<ModulePath>> = BTreeMap::new();
        for (from, targets) in &uses {
            let Some(a) = child_of(from) else { continue };
            for b in targets.iter().filter_map(child_of) {
                if a != b {
                    graph.entry(a.clone()).or_default().insert(b);
                }
            }
        }
        for component in strongly_connected(&graph) {
            cycles.push(component.iter().map(|m| m.join("::")).collect());
        }
    }
    cycles
}

/// The components of more than one node (Tarjan's algorithm).
fn strongly_connected(graph: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> Vec<Vec<ModulePath>> {
    struct Search<'a> {
        graph: &'a BTreeMap<ModulePath, BTreeSet<ModulePath>>,
        index: BTreeMap<ModulePath, usize>,
        low: BTreeMap<ModulePath, usize>,
        stack: Vec<ModulePath>,
        found: Vec<Vec<ModulePath>>,
    }
    impl Search<'_> {
        fn visit(&mut self, node: &ModulePath) {
            let n = self.index.len();
            self.index.insert(node.clone(), n);
            self.low.insert(node.clone(), n);
            self.stack.push(node.clone());
            let graph = self.graph;
            for next in graph.get(node).into_iter().flatten() {
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node.clone(), low);
                } else if self.stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node.clone(), low);
                }
            }
            if self.low[node] == self.index[node] {
                let at = self
                    .stack
                    .iter()
                    .rposition(|m| m == node)
                    .expect("on the stack");
                let component = self.stack.split_off(at);
                if component.len() > 1 {
                    self.found.push(component);
                }
            }
        }
    }
    let mut search = Search {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !search.index.contains_key(node) {
            search.visit(node);
        }
    }
    search.found
}

/// The workspace crates `manifest` depends on (any kind of dependency but
/// dev-dependencies, which may reach up for test helpers).
fn workspace_dependencies(manifest: &str) -> Vec<&'static str> {
    let mut section = "";
    let mut found = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line;
            continue;
        }
        if section.contains("dev-dependencies") || !section.contains("dependencies") {
            continue;
        }
        let name = line.split(['=', '.', ' ']).next().unwrap_or("");
        if let Some((crate_name, _)) = LAYERS.iter().find(|(n, _)| *n == name) {
            found.push(*crate_name);
        }
    }
    found
}

#[test]
fn each_crate_depends_only_on_the_crates_below_it() {
    for (layer, (name, dir)) in LAYERS.iter().enumerate() {
        let manifest = std::fs::read_to_string(workspace().join(dir).join("Cargo.toml"))
            .expect("reading a manifest");
        let below: Vec<&str> = LAYERS[..layer].iter().map(|(n, _)| *n).collect();
        for dependency in workspace_dependencies(&manifest) {
            assert!(
                below.contains(&dependency),
                "{name} depends on {dependency}, which is not below it (layers, bottom up: {LAYERS:?})"
            );
        }
    }
}

#[test]
fn no_two_sibling_modules_use_each_other() {
    let mut found = Vec::new();
    for (name, dir) in LAYERS {
        for cycle in sibling_cycles(&workspace().join(dir).join("src")) {
            found.push(format!("{name}: {}", cycle.join(" ↔ ")));
        }
    }
    assert!(found.is_empty(), "module cycles:\n{}", found.join("\n"));
}

#[test]
fn the_check_finds_a_cycle_and_resolves_paths() {
    let dir = crate::temp_dir("layers");
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::write(dir.path().join("lib.rs"), "mod a;\nmod b;\nmod c;\n").unwrap();
    std::fs::write(dir.path().join("a/mod.rs"), "mod inner;\n").unwrap();
    std::fs::write(
        dir.path().join("a/inner.rs"),
        "use crate::{b::{self, Thing}};\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.rs"),
        "fn f() { super::a::inner::g(); }\n",
    )
    .unwrap();
    // A comment naming a module is no use of it.
    std::fs::write(dir.path().join("c.rs"), "use super::b; // use crate::a;\n").unwrap();
    let cycles = sibling_cycles(dir.path());
    assert_eq!(cycles, vec![vec!["a".to_owned(), "b".to_owned()]]);
}
