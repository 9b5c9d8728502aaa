//! The book's reference pages, generated from the code they describe: the
//! control-plane API from the OpenAPI document the daemon serves
//! ([`api_markdown`]), and the command line from its clap definition
//! ([`cli_markdown`]). The committed pages (`docs/src/reference/`) are
//! checked against these by the tests, so the book cannot drift from the
//! code.

mod api;
mod cli;

pub use api::api_markdown;
pub use cli::cli_markdown;

/// The page of the control-plane API, from the daemon's own document.
pub fn api_page() -> String {
    let document =
        serde_json::to_value(crate::api::openapi()).expect("the OpenAPI document is JSON");
    api_markdown(&document)
}

/// The page of the `gamehost` command, from its clap definition.
pub fn cli_page() -> String {
    cli_markdown(<crate::cli::Cli as clap::CommandFactory>::command())
}

/// `text` fit for one cell of a Markdown table: on one line, its pipes
/// escaped.
fn cell(text: &str) -> String {
    prose(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// A doc comment's `text` for the book: its links to Rust items
/// (`` [`X`](crate::X) ``, `` [`X`] ``), which lead nowhere outside rustdoc,
/// become their text.
fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        let Some(len) = rest[start..].find("`]") else {
            break;
        };
        let code = &rest[start + 1..start + len + 1];
        let tail = &rest[start + len + 2..];
        out.push_str(&rest[..start]);
        match tail.strip_prefix('(').and_then(|t| t.split_once(')')) {
            Some((target, after)) if target.contains("::") => {
                out.push_str(code);
                rest = after;
            }
            // A link somewhere real: kept as written.
            Some(_) => {
                out.push_str(&rest[start..start + len + 2]);
                rest = tail;
            }
            None => {
                out.push_str(code);
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed page at `docs/src/reference/NAME` equals `generated`;
    /// otherwise the test fails, telling how to regenerate it.
    fn check(name: &str, generated: &str) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../docs/src/reference")
            .join(name);
        let committed = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        if committed != generated {
            let line = committed
                .lines()
                .zip(generated.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
            panic!(
                "docs/src/reference/{name} differs from what the code generates (first at line {}); \
                 regenerate it with `cargo test -p gamehost --lib reference -- --ignored regenerate`",
                line + 1
            );
        }
    }

    #[test]
    fn the_api_reference_is_the_openapi_document() {
        check("api.md", &api_page());
    }

    #[test]
    fn the_cli_reference_is_the_command_line() {
        check("cli.md", &cli_page());
    }

    /// Writes the reference pages from the code.
    #[test]
    #[ignore = "writes docs/src/reference; run by hand after changing the API or the command line"]
    fn regenerate() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/src/reference");
        std::fs::create_dir_all(&dir).expect("creating docs/src/reference");
        std::fs::write(dir.join("api.md"), api_page()).expect("writing api.md");
        std::fs::write(dir.join("cli.md"), cli_page()).expect("writing cli.md");
    }

    #[test]
    fn links_to_rust_items_become_their_text() {
        assert_eq!(
            prose("during [`CLAIM`](crate::CLAIM) or [`CLAIM`] ago"),
            "during `CLAIM` or `CLAIM` ago"
        );
        assert_eq!(prose("see [`a`](#a)."), "see [`a`](#a).");
    }

    #[test]
    fn a_cell_is_one_line_with_its_pipes_escaped() {
        assert_eq!(cell("a |b\n  c"), "a \\|b c");
    }
}
