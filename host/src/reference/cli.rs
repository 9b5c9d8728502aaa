//! The `gamehost` command as Markdown, from its clap definition: the help
//! of the command and of every subcommand, as `gamehost help …` prints it.

use clap::Command;
use std::fmt::Write;

/// The reference page of `command` and its subcommands.
pub fn cli_markdown(command: Command) -> String {
    // An environment variable's value is the reader's machine's, not the
    // command's: the page names the variable only.
    let mut command = hide_env_values(command);
    command.build();
    let mut page = String::from("# Command line reference\n\n");
    page.push_str(
        "<!-- Generated from the command line's definition (`gamehost::cli::Cli`); do not edit.\n     \
         Regenerate: cargo test -p gamehost --lib reference -- --ignored regenerate -->\n\n",
    );
    page.push_str(
        "Every command and its options, as `gamehost help COMMAND` prints them. The \
         commands that drive a daemon read its address from `--url` (`GAMEHOST_URL`) \
         and its token from `GAMEHOST_TOKEN`.\n\n",
    );
    write_command(&mut page, &mut command, 2);
    page.truncate(page.trim_end().len());
    page.push('\n');
    page
}

fn hide_env_values(command: Command) -> Command {
    command
        .mut_args(|arg| arg.hide_env_values(true))
        .mut_subcommands(hide_env_values)
}

/// `command`'s help under a heading of `level`, then its subcommands'.
fn write_command(page: &mut String, command: &mut Command, level: usize) {
    let name = command
        .get_bin_name()
        .unwrap_or(command.get_name())
        .to_owned();
    let help = command.render_long_help().to_string();
    let _ = writeln!(page, "{} `{name}`\n", "#".repeat(level));
    let _ = writeln!(page, "```text\n{}\n```\n", help.trim_end());
    for sub in command.get_subcommands_mut() {
        if sub.get_name() != "help" && !sub.is_hide_set() {
            write_command(page, sub, (level + 1).min(4));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Arg;

    #[test]
    fn every_subcommand_has_its_help_and_no_environment_value() {
        let command = Command::new("tool").subcommand(
            Command::new("serve")
                .about("Serves.")
                .arg(Arg::new("listen").long("listen").env("PATH")),
        );
        let page = cli_markdown(command);
        assert!(page.contains("## `tool`\n"));
        assert!(page.contains("### `tool serve`\n\n```text\nServes."));
        assert!(page.contains("[env: PATH]"), "{page}");
        assert!(!page.contains("`tool help`"));
    }
}
