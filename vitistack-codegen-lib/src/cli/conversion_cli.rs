//! `vitistack-codegen conversion`: arguments; the work is in `vitistack_codegen_lib::conversion`.

use std::path::PathBuf;

use clap::Args;
use vitistack_conversion::stanza::{WebhookAddress, SERVICE_NAME, SERVICE_NAMESPACE, SERVICE_PATH};

use crate::conversion::{add_webhook_conversion, check_address, check_ca_bundle};
use crate::yaml::to_yaml;

use super::{read_input, write_atomically, write_stdout, Failure};

/// `conversion` arguments.
#[derive(Debug, Args)]
pub(crate) struct ConversionArgs {
    /// CRD YAML files (multi-document streams are fine; `-` reads stdin).
    #[arg(
        value_name = "FILE",
        required_unless_present = "example",
        conflicts_with = "example"
    )]
    files: Vec<PathBuf>,
    /// Print the example kind's two-version CRD (widgets.example.vitistack.dev) with the stanza.
    #[arg(long)]
    example: bool,
    /// The webhook's URL (https://HOST:PORT/PATH) instead of a Service.
    #[arg(long, value_name = "URL", conflicts_with_all = ["service", "path", "port"])]
    url: Option<String>,
    /// The webhook's Service as NAMESPACE/NAME.
    #[arg(long, value_name = "NAMESPACE/NAME")]
    service: Option<String>,
    /// The Service's HTTP path.
    #[arg(long, value_name = "PATH", default_value = SERVICE_PATH)]
    path: String,
    /// The Service's port (443 when not given).
    #[arg(long)]
    port: Option<u16>,
    /// PEM file of the CA that signed the webhook's certificate (becomes caBundle).
    #[arg(long, value_name = "FILE")]
    ca_bundle: Option<PathBuf>,
    /// Rewrite the files instead of printing to stdout.
    #[arg(long, conflicts_with = "example")]
    in_place: bool,
}

fn address(args: &ConversionArgs) -> Result<WebhookAddress, Failure> {
    let address = match (&args.url, &args.service) {
        (Some(url), _) => WebhookAddress::Url(url.clone()),
        (None, Some(service)) => {
            let (namespace, name) = service
                .split_once('/')
                .filter(|(ns, n)| !ns.is_empty() && !n.is_empty())
                .ok_or_else(|| {
                    Failure::Error(format!("--service {service:?}: expected NAMESPACE/NAME"))
                })?;
            WebhookAddress::Service {
                name: name.to_string(),
                namespace: namespace.to_string(),
                path: args.path.clone(),
                port: args.port,
            }
        }
        (None, None) => WebhookAddress::Service {
            name: SERVICE_NAME.to_string(),
            namespace: SERVICE_NAMESPACE.to_string(),
            path: args.path.clone(),
            port: args.port,
        },
    };
    check_address(&address).map_err(Failure::Error)?;
    Ok(address)
}

pub(crate) fn run(args: &ConversionArgs) -> Result<(), Failure> {
    let address = address(args)?;
    let ca = match &args.ca_bundle {
        Some(path) => {
            let name = path.display().to_string();
            let pem = std::fs::read(path)
                .map_err(|e| Failure::Error(format!("--ca-bundle {name}: {e}")))?;
            check_ca_bundle(&pem, &name).map_err(Failure::Error)?;
            Some(pem)
        }
        None => None,
    };
    if args.example {
        let crd = crate::conversion::example::crd();
        let crd = vitistack_conversion::stanza::with_webhook(crd, &address, ca.as_deref());
        return write_stdout(to_yaml(&crd)?.as_bytes());
    }
    // Everything first, so a bad file leaves all files untouched.
    let mut results = Vec::new();
    for path in &args.files {
        let (name, text) = read_input(path)?;
        let converted = add_webhook_conversion(&text, &name, &address, ca.as_deref())?;
        if converted.crds == 0 {
            return Err(Failure::Error(format!(
                "{name}: no CustomResourceDefinition (apiextensions.k8s.io/v1) in it"
            )));
        }
        results.push((path, converted));
    }
    if args.in_place {
        for (path, converted) in &results {
            write_atomically(path, converted.output.as_bytes())?;
        }
        return Ok(());
    }
    let outputs: Vec<&str> = results.iter().map(|(_, c)| c.output.as_str()).collect();
    write_stdout(outputs.join("---\n").as_bytes())
}
