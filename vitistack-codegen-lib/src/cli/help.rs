//! The command's help, written once: the doc comments of `mod.rs` and `compat_cli.rs` speak of
//! the kinds through parameters (`{bin}`, `{groups}`, `{kinds}`, ...), and [`for_kinds`] fills
//! them from the [`Codegen`] the command runs for. `vitistack-codegen` ([`Codegen::vitistack`])
//! and a downstream `crdgen` ([`Codegen::new`]) get the same text with their own names; only the
//! parameters differ, so rewording a doc comment changes both alike and no wording of ours is
//! rewritten by search and replace.
//!
//! What only `vitistack-codegen` has (the chart, `crds.yaml`, the API reference, the example
//! conversion CRD) is a parameter too, empty for others ([`Codegen::distribution`]).

use clap::builder::StyledStr;
use clap::{Arg, Command};

use crate::Codegen;

/// The parameters of the help, each `{name}` in the doc comments.
pub(super) const PARAMETERS: &[&str] = &[
    "{bin}",
    "{groups}",
    "{kinds}",
    "{schema_files}",
    "{generated_files}",
    "{and_packaging}",
    "{or_example}",
    "{example_crd}",
    "{example_finding}",
];

/// The command for `codegen`: its help with every parameter filled, its name and version.
pub(super) fn for_kinds(command: Command, codegen: &Codegen) -> Command {
    let name = codegen.command_name();
    let values = Values::of(codegen, &name);
    let command = match codegen.version_text() {
        Some(version) => command.version(version),
        None => command,
    };
    let command = values.apply_to_command(command);
    let command = if codegen.distribution() {
        command
    } else {
        // The example CRD is this project's (example.vitistack.dev): not a downstream's.
        command.mut_subcommand("conversion", |sub| {
            sub.mut_arg("example", |arg| arg.hide(true))
        })
    };
    let command = match codegen.custom_about() {
        Some(about) => {
            let exit_codes = command
                .get_long_about()
                .and_then(|long| rest_after_first_paragraph(&long.to_string()))
                .unwrap_or_default();
            command
                .about(about.to_owned())
                .long_about(join_paragraphs(&sentence(about), &exit_codes))
        }
        None => command,
    };
    // The display name is what `--version` prints, the bin name what usage lines show.
    command.display_name(&name).bin_name(name)
}

/// The value of every parameter for one command.
struct Values(Vec<(&'static str, String)>);

impl Values {
    fn of(codegen: &Codegen, name: &str) -> Values {
        let groups: Vec<&str> = codegen.groups().into_iter().collect();
        let group_dir = match groups.as_slice() {
            [group] => (*group).to_owned(),
            _ => "<group>".to_owned(),
        };
        let groups = match groups.as_slice() {
            [] => "<group>".to_owned(),
            _ => groups.join(", "),
        };
        let first = codegen.kinds().first();
        let example_crd = first.map_or_else(
            || "<plural>.<group>".to_owned(),
            |k| format!("{}.{}", k.plural, k.group),
        );
        let example_finding = format!(
            "{}.yaml:1: {}/prod: spec.<field>: Invalid value: 5000: must be less than or equal to 4094",
            first.map_or("<kind>".to_owned(), |k| k.kind.to_lowercase()),
            first.map_or("<Kind>", |k| k.kind),
        );
        let (generated_files, and_packaging, or_example) = if codegen.distribution() {
            (
                "crds/, schemas/, the chart, crds.yaml, kustomization.yaml and \
                 docs/api-reference.md",
                ", and from the same CRDs the Helm chart charts/vitistack-crds, crds.yaml, \
                 kustomization.yaml and docs/api-reference.md",
                " (or of the example two-version CRD)",
            )
        } else {
            ("crds/ and schemas/", "", "")
        };
        let values = vec![
            ("{bin}", name.to_owned()),
            ("{groups}", groups),
            ("{kinds}", kinds_phrase(codegen)),
            ("{schema_files}", format!("schemas/{group_dir}/*.json")),
            ("{generated_files}", generated_files.to_owned()),
            ("{and_packaging}", and_packaging.to_owned()),
            ("{or_example}", or_example.to_owned()),
            ("{example_crd}", example_crd),
            ("{example_finding}", example_finding),
        ];
        debug_assert!(values
            .iter()
            .map(|(p, _)| *p)
            .eq(PARAMETERS.iter().copied()));
        Values(values)
    }

    fn fill(&self, text: &StyledStr) -> String {
        self.0
            .iter()
            .fold(text.to_string(), |text, (parameter, value)| {
                text.replace(parameter, value)
            })
    }

    fn apply_to_command(&self, command: Command) -> Command {
        let about = command.get_about().map(|t| self.fill(t));
        let long_about = command.get_long_about().map(|t| self.fill(t));
        let command = command
            .mut_args(|arg| self.apply_to_arg(arg))
            .mut_subcommands(|sub| self.apply_to_command(sub));
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
        let help = arg.get_help().map(|t| self.fill(t));
        let long_help = arg.get_long_help().map(|t| self.fill(t));
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

/// The kinds for prose: by name when there are few or several apiVersions (`the example.com
/// kind VlanAttachment`), else by number (`the 10 vitistack.io/v1alpha1 kinds`).
fn kinds_phrase(codegen: &Codegen) -> String {
    let kinds = codegen.kinds();
    match kinds.first() {
        Some(first)
            if kinds.len() > 3 && kinds.iter().all(|k| k.api_version == first.api_version) =>
        {
            format!("the {} {} kinds", kinds.len(), first.api_version)
        }
        _ => codegen.kinds_phrase(),
    }
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

    /// Every subcommand's long help, and the top-level one, of `command`.
    fn every_long_help(command: &Command) -> Vec<String> {
        let mut command = command.clone();
        let names: Vec<String> = command
            .get_subcommands()
            .map(|sub| sub.get_name().to_owned())
            .collect();
        let mut helps = vec![long_help(&mut command, None)];
        helps.extend(names.iter().map(|n| long_help(&mut command, Some(n))));
        helps
    }

    #[test]
    fn our_help_is_the_derived_one_with_its_parameters_filled() {
        let ours = for_kinds(super::super::Cli::command(), &Codegen::vitistack());
        let helps = every_long_help(&ours);
        assert!(helps.len() >= 8, "{helps:?}");
        for help in &helps {
            for parameter in PARAMETERS {
                assert!(!help.contains(parameter), "{parameter} left in: {help}");
            }
        }
        let generate = long_help(&mut ours.clone(), Some("generate"));
        assert!(
            generate.contains("for the 10 vitistack.io/v1alpha1 kinds, and from the same CRDs the Helm chart charts/vitistack-crds"),
            "{generate}"
        );
        let conversion = long_help(&mut ours.clone(), Some("conversion"));
        assert!(conversion.contains("--example"), "{conversion}");
    }

    /// Nothing of this project in a downstream command's help: not our group, command, crate,
    /// kinds or files (a kind of another group, the example Widget, is registered).
    #[test]
    fn a_downstream_help_says_nothing_of_vitistack_io() {
        let codegen = Codegen::new()
            .kind::<crate::conversion::example::v1beta1::Widget>()
            .name("widgetgen");
        let command = for_kinds(super::super::Cli::command(), &codegen);
        let ours: Vec<&str> = vitistack_types::registry::kinds()
            .iter()
            .map(|k| k.kind)
            .collect();
        for help in every_long_help(&command) {
            for leak in [
                "vitistack.io",
                "vitistack-codegen",
                "vitistack-types",
                "the ten",
                "charts/",
            ]
            .iter()
            .chain(PARAMETERS)
            {
                assert!(!help.contains(leak), "{leak:?} in: {help}");
            }
            let words: Vec<&str> = help.split(|c: char| !c.is_ascii_alphanumeric()).collect();
            for kind in &ours {
                assert!(!words.contains(kind), "our kind {kind} in: {help}");
            }
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
