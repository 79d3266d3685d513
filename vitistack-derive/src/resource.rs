//! `#[derive(CustomResource)]`: the root object type of a kind, and its registration.

use crate::ctxt::Ctxt;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{LitInt, LitStr};

struct Column {
    name: String,
    type_: String,
    json_path: String,
    description: String,
    priority: i32,
    format: Option<String>,
}

#[derive(Default)]
struct Options {
    group: Option<String>,
    version: Option<String>,
    kind: Option<String>,
    plural: Option<String>,
    namespaced: bool,
    status: Option<syn::Type>,
    short_names: Vec<String>,
    categories: Vec<String>,
    columns: Vec<Column>,
    doc: Option<String>,
    /// `storage`, `served`, `deprecated`: this version's place among the kind's versions.
    flags: crate::version_flags::Flags,
    /// `crate = "..."`: the path of the engine crate.
    krate: Option<syn::Path>,
    /// A `#[crd(...)]` failed to parse: its later keys were never read, so "missing" errors
    /// would be noise.
    parse_failed: bool,
}

const KEYS: &[&str] = &[
    "group",
    "version",
    "kind",
    "plural",
    "namespaced",
    "status",
    "shortname",
    "category",
    "printcolumn",
    "doc",
    "crate",
    "storage",
    "served",
    "deprecated",
];

fn parse(cx: &Ctxt, input: &syn::DeriveInput) -> Options {
    let mut o = Options::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("crd")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            let string = |meta: &syn::meta::ParseNestedMeta| -> syn::Result<String> {
                Ok(meta.value()?.parse::<LitStr>()?.value())
            };
            match key.as_str() {
                "group" => o.group = Some(string(&meta)?),
                "version" => o.version = Some(string(&meta)?),
                "kind" => o.kind = Some(string(&meta)?),
                "plural" => o.plural = Some(string(&meta)?),
                "doc" => o.doc = Some(string(&meta)?),
                "namespaced" => o.namespaced = true,
                "crate" => {
                    let lit = meta.value()?.parse::<LitStr>()?;
                    let path = lit.parse().map_err(|_| {
                        syn::Error::new(
                            lit.span(),
                            "`crate` names a path, e.g. crate = \"my_crate::viti\"",
                        )
                    })?;
                    o.krate = Some(path);
                }
                "status" => {
                    let lit = meta.value()?.parse::<LitStr>()?;
                    let ty = lit.parse().map_err(|_| {
                        syn::Error::new(
                            lit.span(),
                            "`status` names the status type, e.g. status = \"MachineStatus\"",
                        )
                    })?;
                    o.status = Some(ty);
                }
                "shortname" => o.short_names.push(string(&meta)?),
                "category" => o.categories.push(string(&meta)?),
                "printcolumn" => o.columns.push(column(&meta)?),
                k if crate::version_flags::KEYS.contains(&k) => o.flags.parse(k, &meta)?,
                _ => {
                    return Err(meta.error(format!(
                        "unknown crd attribute `{key}`; expected one of: {}",
                        KEYS.join(", ")
                    )))
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            o.parse_failed = true;
            cx.syn_error(e);
        }
    }
    o
}

fn column(meta: &syn::meta::ParseNestedMeta) -> syn::Result<Column> {
    let mut c = Column {
        name: String::new(),
        type_: String::new(),
        json_path: String::new(),
        description: String::new(),
        priority: 0,
        format: None,
    };
    meta.parse_nested_meta(|inner| {
        let key = inner
            .path
            .get_ident()
            .map(|i| i.to_string())
            .unwrap_or_default();
        if key == "priority" {
            c.priority = inner.value()?.parse::<LitInt>()?.base10_parse()?;
            return Ok(());
        }
        let lit: LitStr = inner.value()?.parse()?;
        match key.as_str() {
            "name" => c.name = lit.value(),
            "type" => {
                if !["string", "integer", "number", "boolean", "date"]
                    .contains(&lit.value().as_str())
                {
                    return Err(syn::Error::new(
                        lit.span(),
                        "a printer column type is one of string, integer, number, boolean, date",
                    ));
                }
                c.type_ = lit.value()
            }
            "json_path" => {
                if !lit.value().starts_with('.') {
                    return Err(syn::Error::new(
                        lit.span(),
                        "a printer column json_path starts with `.`, e.g. \".status.phase\"",
                    ));
                }
                c.json_path = lit.value()
            }
            "description" => c.description = lit.value(),
            "format" => c.format = Some(lit.value()),
            _ => return Err(inner.error(format!("unknown printcolumn option `{key}`"))),
        }
        Ok(())
    })?;
    let missing: Vec<&str> = [
        ("name", &c.name),
        ("type", &c.type_),
        ("json_path", &c.json_path),
    ]
    .into_iter()
    .filter(|(_, value)| value.is_empty())
    .map(|(key, _)| key)
    .collect();
    if !missing.is_empty() {
        return Err(meta.error(format!(
            "printcolumn needs name, type and json_path; missing: {}",
            missing.join(", ")
        )));
    }
    Ok(c)
}

/// Expands `#[derive(CustomResource)]` on a spec struct.
pub fn expand(input: &syn::DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::default();
    let o = parse(&cx, input);
    let spec = &input.ident;
    let required = |value: &Option<String>, name: &str| -> String {
        if value.is_none() && !o.parse_failed {
            cx.error_at(
                spec,
                format!("#[derive(CustomResource)] needs #[crd({name} = \"...\")]"),
            );
        }
        value.clone().unwrap_or_default()
    };
    let (group, version, kind) = (
        required(&o.group, "group"),
        required(&o.version, "version"),
        required(&o.kind, "kind"),
    );
    if o.status.is_none() && !o.parse_failed {
        cx.error_at(spec, "#[derive(CustomResource)] needs #[crd(status = \"StatusType\")]: every kind has the status subresource");
    }
    if *spec == kind {
        cx.error_at(
            spec,
            "the spec struct cannot be named like the kind: the derive generates the kind's struct",
        );
    }
    cx.check()?;
    let status = o.status.clone().unwrap_or_else(|| syn::parse_quote!(()));
    let plural = o
        .plural
        .clone()
        .unwrap_or_else(|| format!("{}s", kind.to_lowercase()));
    let doc = o
        .doc
        .clone()
        .unwrap_or_else(|| crate::schema_derive::doc_of(&input.attrs));
    let k = crate::krate::root(o.krate.as_ref());
    Ok(emit(
        &k,
        &o,
        spec,
        &status,
        &Names {
            group,
            version,
            kind,
            plural,
            doc,
        },
    ))
}

struct Names {
    group: String,
    version: String,
    kind: String,
    plural: String,
    doc: String,
}

fn emit(
    k: &TokenStream,
    o: &Options,
    spec: &syn::Ident,
    status: &syn::Type,
    n: &Names,
) -> TokenStream {
    let Names {
        group,
        version,
        kind,
        plural,
        doc,
    } = n;
    let root = format_ident!("{}", kind);
    let api_version = format!("{group}/{version}");
    let singular = kind.to_lowercase();
    let (short_names, categories) = (&o.short_names, &o.categories);
    let p = quote!(#k::__private);
    let serde_crate = format!("{k}::__private::serde");
    let scope = if o.namespaced {
        quote!(Namespaced)
    } else {
        quote!(Cluster)
    };
    let resource_scope = if o.namespaced {
        quote!(NamespaceResourceScope)
    } else {
        quote!(ClusterResourceScope)
    };
    let columns = o.columns.iter().map(|c| {
        let (name, type_, json_path, description, priority) = (&c.name, &c.type_, &c.json_path, &c.description, c.priority);
        let format = match &c.format {
            Some(f) => quote!(::core::option::Option::Some(#f)),
            None => quote!(::core::option::Option::None),
        };
        quote!(#k::crd::PrinterColumn { name: #name, type_: #type_, json_path: #json_path, description: #description, priority: #priority, format: #format })
    });
    let root_doc = format!("{kind}: {doc}");
    let version_flags = o.flags.emit(k, &root);
    quote! {
        #[doc = #root_doc]
        #[derive(Clone, Debug, PartialEq)]
        pub struct #root {
            /// Standard object metadata.
            pub metadata: #p::ObjectMeta,
            /// The desired state.
            pub spec: #spec,
            /// The observed state, written by controllers through the status subresource.
            pub status: ::core::option::Option<#status>,
        }

        impl #root {
            /// An object with this name and spec, no namespace and no status.
            pub fn new(name: &str, spec: #spec) -> Self {
                Self {
                    metadata: #p::ObjectMeta { name: ::core::option::Option::Some(name.to_string()), ..::core::default::Default::default() },
                    spec,
                    status: ::core::option::Option::None,
                }
            }
        }

        impl #p::serde::Serialize for #root {
            fn serialize<S: #p::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                use #p::serde::ser::SerializeStruct;
                let mut state = serializer.serialize_struct(#kind, 5)?;
                state.serialize_field("apiVersion", #api_version)?;
                state.serialize_field("kind", #kind)?;
                state.serialize_field("metadata", &self.metadata)?;
                state.serialize_field("spec", &self.spec)?;
                if let ::core::option::Option::Some(status) = &self.status {
                    state.serialize_field("status", status)?;
                } else {
                    state.skip_field("status")?;
                }
                state.end()
            }
        }

        impl<'de> #p::serde::Deserialize<'de> for #root {
            fn deserialize<D: #p::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                #[derive(#p::serde::Deserialize)]
                #[serde(crate = #serde_crate, rename_all = "camelCase")]
                struct Wire {
                    api_version: ::core::option::Option<::std::string::String>,
                    kind: ::core::option::Option<::std::string::String>,
                    #[serde(default)]
                    metadata: #p::ObjectMeta,
                    spec: #spec,
                    #[serde(default)]
                    status: ::core::option::Option<#status>,
                }
                let wire = <Wire as #p::serde::Deserialize>::deserialize(deserializer)?;
                #k::crd::check_type_meta(wire.api_version.as_deref(), wire.kind.as_deref(), #api_version, #kind)
                    .map_err(<D::Error as #p::serde::de::Error>::custom)?;
                ::core::result::Result::Ok(Self { metadata: wire.metadata, spec: wire.spec, status: wire.status })
            }
        }

        impl #p::kube_core::Resource for #root {
            type DynamicType = ();
            type Scope = #p::k8s_openapi::#resource_scope;
            fn kind(_: &()) -> ::std::borrow::Cow<'_, str> { #kind.into() }
            fn group(_: &()) -> ::std::borrow::Cow<'_, str> { #group.into() }
            fn version(_: &()) -> ::std::borrow::Cow<'_, str> { #version.into() }
            fn api_version(_: &()) -> ::std::borrow::Cow<'_, str> { #api_version.into() }
            fn plural(_: &()) -> ::std::borrow::Cow<'_, str> { #plural.into() }
            fn meta(&self) -> &#p::ObjectMeta { &self.metadata }
            fn meta_mut(&mut self) -> &mut #p::ObjectMeta { &mut self.metadata }
        }

        impl #p::kube_core::object::HasSpec for #root {
            type Spec = #spec;
            fn spec(&self) -> &#spec { &self.spec }
            fn spec_mut(&mut self) -> &mut #spec { &mut self.spec }
        }

        impl #p::kube_core::object::HasStatus for #root {
            type Status = #status;
            fn status(&self) -> ::core::option::Option<&#status> { self.status.as_ref() }
            fn status_mut(&mut self) -> &mut ::core::option::Option<#status> { &mut self.status }
        }

        impl #k::crd::CustomResourceKind for #root {
            const GROUP: &'static str = #group;
            const VERSION: &'static str = #version;
            const API_VERSION: &'static str = #api_version;
            const KIND: &'static str = #kind;
            const PLURAL: &'static str = #plural;
            const SINGULAR: &'static str = #singular;
            const SHORT_NAMES: &'static [&'static str] = &[#(#short_names),*];
            const CATEGORIES: &'static [&'static str] = &[#(#categories),*];
            const SCOPE: #k::crd::Scope = #k::crd::Scope::#scope;
            const PRINTER_COLUMNS: &'static [#k::crd::PrinterColumn] = &[#(#columns),*];
            const DESCRIPTION: &'static str = #doc;
            type Spec = #spec;
            type Status = #status;
            fn root_schema() -> &'static #k::schema::Node {
                static NODE: ::std::sync::OnceLock<#k::schema::Node> = ::std::sync::OnceLock::new();
                NODE.get_or_init(#k::crd::root_node::<Self>)
            }
        }

        impl #k::validate::Validate for #root {
            fn validate(&self) -> ::core::result::Result<(), #k::validate::ValidationErrors> {
                let node = <Self as #k::crd::CustomResourceKind>::root_schema();
                #k::validate::validate_serialize(node, self)
            }
        }

        #version_flags
    }
}
