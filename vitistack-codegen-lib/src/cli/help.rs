//! The help of a command for kinds other than ours ([`Codegen::new`]): it names the command,
//! the registered groups and kinds, and leaves out what only `vitistack-codegen` writes (the
//! chart, `crds.yaml`, the API reference). The help written in `mod.rs` is `vitistack-codegen`'s,
//! kept as it is for [`Codegen::vitistack`].

use clap::builder::StyledStr;
use clap::{Arg, Command};

use crate::Codegen;

/// `command` (our derive's) speaking of `codegen`'s name and kinds.
pub(super) fn for_kinds(command: Command, codegen: &Codegen) -> Command {
    let name = codegen.command_name();
    if codegen.distribution() {
        return command;
    }
    let words = Words::of(codegen, &name);
    let about = codegen.about_text();
    let exit_codes = command
        .get_long_about()
        .and_then(|long| rest_after_first_paragraph(&long.to_string()))
        .unwrap_or_default();
    let kinds = codegen.kinds_phrase();
    let command = match codegen.version_text() {
        Some(version) => command.version(version),
        None => command,
    };
    // The display name is what `--version` prints; usage lines show the executable's name.
    command
        .display_name(name)
        .about(about.clone())
        .long_about(join_paragraphs(&sentence(&about), &exit_codes))
        .mut_subcommands(|sub| words.apply_to_command(sub))
        .mut_subcommand("generate", |sub| {
            with_summary(
                sub,
                &format!(
                    "Write crds/<group>_<plural>.yaml and schemas/<group>/<kind>_<version>.json \
                     for {kinds}"
                ),
            )
        })
        .mut_subcommand("verify", |sub| {
            with_summary(
                sub,
                &format!(
                    "Check that crds/ and schemas/ are up to date for {kinds} and that every CRD \
                     is structural"
                ),
            )
        })
}

/// Our wording and what it becomes for the registered kinds, most specific first.
struct Words(Vec<(&'static str, String)>);

impl Words {
    fn of(codegen: &Codegen, name: &str) -> Words {
        let groups: Vec<&str> = codegen.groups().into_iter().collect();
        let schema_dir = match groups.as_slice() {
            [group] => format!("schemas/{group}/"),
            _ => "schemas/<group>/".to_owned(),
        };
        let groups = match groups.as_slice() {
            [] => "<group>".to_owned(),
            _ => groups.join(", "),
        };
        Words(vec![
            (
                "the ten vitistack.io/v1alpha1 kinds",
                codegen.kinds_phrase(),
            ),
            ("schemas/vitistack.io/", schema_dir),
            ("vitistack-codegen", name.to_owned()),
            ("vitistack.io", groups),
        ])
    }

    fn apply(&self, text: &StyledStr) -> String {
        self.0
            .iter()
            .fold(text.to_string(), |text, (ours, theirs)| {
                text.replace(ours, theirs)
            })
    }

    fn apply_to_command(&self, command: Command) -> Command {
        let about = command.get_about().map(|t| self.apply(t));
        let long_about = command.get_long_about().map(|t| self.apply(t));
        let command = command.mut_args(|arg| self.apply_to_arg(arg));
        let command = match about {
            Some(about) => command.about(about),
            None => command,
        };
        match long_about {
            Some(long_about) => command.long_about(long_about),
            None => command,
        }
    }

    fn apply_to_arg(&self, arg: Arg) -> Arg {
        let help = arg.get_help().map(|t| self.apply(t));
        let long_help = arg.get_long_help().map(|t| self.apply(t));
        let arg = match help {
            Some(help) => arg.help(help),
            None => arg,
        };
        match long_help {
            Some(long_help) => arg.long_help(long_help),
            None => arg,
        }
    }
}

/// `command` with `summary` as its about and as the first paragraph of its long about.
fn with_summary(command: Command, summary: &str) -> Command {
    let rest = command
        .get_long_about()
        .and_then(|long| rest_after_first_paragraph(&long.to_string()))
        .unwrap_or_default();
    command
        .about(summary.to_owned())
        .long_about(join_paragraphs(&sentence(summary), &rest))
}

/// `text` ending with a full stop: a summary is shown without one (as clap's derive does), its
/// paragraph in the long help with it.
fn sentence(text: &str) -> String {
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// The paragraphs of `text` after its first one.
fn rest_after_first_paragraph(text: &str) -> Option<String> {
    text.split_once("\n\n").map(|(_, rest)| rest.to_owned())
}

fn join_paragraphs(first: &str, rest: &str) -> String {
    if rest.is_empty() {
        first.to_owned()
    } else {
        format!("{first}\n\n{rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use vitistack_types::kinds::Machine;

    fn long_help(command: &mut Command, subcommand: Option<&str>) -> String {
        match subcommand {
            Some(name) => command
                .find_subcommand_mut(name)
                .map(|sub| sub.render_long_help().to_string())
                .unwrap_or_default(),
            None => command.render_long_help().to_string(),
        }
    }

    #[test]
    fn our_help_is_the_derived_one() {
        let ours = for_kinds(super::super::Cli::command(), &Codegen::vitistack());
        let derived = super::super::Cli::command();
        for sub in [None, Some("generate"), Some("validate")] {
            assert_eq!(
                long_help(&mut ours.clone(), sub),
                long_help(&mut derived.clone(), sub)
            );
        }
    }

    #[test]
    fn a_downstream_help_names_its_command_and_kinds_only() {
        let codegen = Codegen::new().kind::<Machine>().name("machinegen");
        let mut command = for_kinds(super::super::Cli::command(), &codegen);
        let top = long_help(&mut command, None);
        assert!(top.contains("the vitistack.io kind Machine"), "{top}");
        assert!(top.contains("Exit codes"), "{top}");
        let generate = long_help(&mut command, Some("generate"));
        assert!(!generate.contains("chart"), "{generate}");
        assert!(generate.contains("Output is byte-stable"), "{generate}");
        let validate = long_help(&mut command, Some("validate"));
        assert!(!validate.contains("the ten"), "{validate}");
        assert!(
            validate.contains("Documents of the vitistack.io kind Machine"),
            "{validate}"
        );
        let crds = long_help(&mut command, Some("crds"));
        assert!(crds.contains("machinegen crds | kubectl"), "{crds}");
        assert_eq!(
            command.render_version(),
            format!("machinegen {}\n", env!("CARGO_PKG_VERSION"))
        );
        let versioned = codegen.version("7.1.0");
        let command = for_kinds(super::super::Cli::command(), &versioned);
        assert_eq!(command.render_version(), "machinegen 7.1.0\n");
    }
}
