//! Where an object needs a [`RemovalGuard`]: the apiserver does not run a field's own rule when
//! the new object lacks the field, so the removal of an immutable field is caught by a rule on
//! an enclosing object that is present in both objects.

use super::{Property, Type};
use crate::rules::{RemovalGuard, Rule};

/// The removal guards of an object with these properties: one per immutable field reachable
/// from an optional property through nested objects (not through lists or maps: the objects in
/// their items guard their own fields). Removing a required property is a schema error already.
///
/// [`super::Node::new`] puts them on every object node, as rules ([`Rule::RemovalGuard`]).
pub fn removal_guards(properties: &[Property]) -> Vec<RemovalGuard> {
    let mut guards = Vec::new();
    for property in properties.iter().filter(|p| !p.required) {
        let mut path = vec![property.name.clone()];
        collect(property, &mut path, &mut guards);
    }
    guards
}

fn collect(property: &Property, path: &mut Vec<String>, guards: &mut Vec<RemovalGuard>) {
    for rule in &property.node.rules {
        if let Rule::Immutable(immutable) = rule {
            guards.push(RemovalGuard {
                path: path.clone(),
                message: immutable.message(),
            });
        }
    }
    if let Type::Object { properties } = &property.node.ty {
        for child in properties {
            path.push(child.name.clone());
            collect(child, path, guards);
            path.pop();
        }
    }
}
