//! The YAML layer of vitistack-codegen: splitting a stream gives back the text, parsing ends
//! in values or an error, and written YAML reads back as the same values.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vitistack_codegen_lib::yaml;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let docs = yaml::split_documents(text);
    let joined: String = docs.iter().map(|d| d.text).collect();
    assert_eq!(joined, text, "documents do not concatenate to the stream");
    for doc in &docs {
        assert!(doc.text.starts_with(doc.prefix) && doc.text.ends_with(doc.suffix));
    }
    let Ok(values) = yaml::parse_documents(text, "fuzz") else {
        return;
    };
    if let Ok(written) = yaml::to_yaml_multi(&values) {
        let back = yaml::parse_documents(&written, "fuzz")
            .unwrap_or_else(|e| panic!("written YAML does not parse: {e}\n{written}"));
        if !values.iter().any(vitistack_fuzz::has_float) {
            assert_eq!(
                back, values,
                "written YAML reads back differently:\n{written}"
            );
        }
    }
});
