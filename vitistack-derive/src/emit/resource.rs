//! The kind's root struct of a `#[derive(CustomResource)]`, with its wire `Serialize` and
//! `Deserialize`, kube's `Resource`, `HasSpec`, `HasStatus`, `CustomResourceKind`, `Validate`.

use super::opt;
use crate::check::Checked;
use crate::model::Resource;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// Emits the kind from a checked spec struct.
pub fn emit(o: &Checked<Resource>) -> TokenStream {
    let k = &crate::krate::root(o.krate.as_ref());
    let spec = o.spec;
    let (group, version, kind) = (&o.group, &o.version, &o.kind);
    let (status, plural, singular) = (&o.status, &o.plural, &o.singular);
    let doc = &o.doc;
    let root = format_ident!("{}", kind);
    let api_version = format!("{group}/{version}");
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
        let (name, type_, json_path, description, priority) = (&c.name, c.type_.value(), c.json_path.value(), &c.description, c.priority);
        let format = opt(&c.format);
        quote!(#k::crd::PrinterColumn { name: #name, type_: #type_, json_path: #json_path, description: #description, priority: #priority, format: #format })
    });
    let selectable = o.selectable.iter().map(syn::LitStr::value);
    let scale = opt(&o.scale.as_ref().map(|s| {
        let (spec, status) = (s.spec_replicas_path.value(), s.status_replicas_path.value());
        let selector = opt(&s.label_selector_path.as_ref().map(syn::LitStr::value));
        quote!(#k::crd::Scale { spec_replicas_path: #spec, status_replicas_path: #status, label_selector_path: #selector })
    }));
    let root_doc = format!("{kind}: {doc}");
    let version_flags = super::version_flags::emit(k, &root, &o.flags);
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
            const SELECTABLE_FIELDS: &'static [&'static str] = &[#(#selectable),*];
            const SCALE: ::core::option::Option<#k::crd::Scale> = #scale;
            type Spec = #spec;
            type Status = #status;
            fn root_schema() -> &'static #k::schema::Node {
                static NODE: ::std::sync::OnceLock<#k::schema::Node> = ::std::sync::OnceLock::new();
                NODE.get_or_init(#k::crd::root_node::<Self>)
            }
        }

        impl #k::validate::Validate for #root {
            fn validate(&self) -> ::core::result::Result<(), #k::report::ValidationErrors> {
                let node = <Self as #k::crd::CustomResourceKind>::root_schema();
                #k::validate::validate_serialize(node, self)
            }
        }

        #version_flags
    }
}
