//! The JSON Schemas in `schema/` are generated from the Rust types. This test
//! fails when they are stale; `UPDATE_SCHEMAS=1 cargo test --test schema`
//! rewrites them.

use portfolio::render::schema;

#[test]
fn committed_schemas_are_current() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let schemas = [
        ("schema/tiltak.schema.json", schema::tiltak(None)),
        ("schema/portfolio.schema.json", schema::definition()),
        ("schema/diagnostics.schema.json", schema::diagnostics()),
        ("schema/report.schema.json", schema::report()),
        ("schema/national.schema.json", schema::national()),
        ("schema/national-report.schema.json", schema::national_report()),
    ];
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    for (file, value) in schemas {
        let path = root.join(file);
        let expected = schema::to_pretty(&value);
        if update {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, &expected).expect("write schema");
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == expected,
            "{file} is stale: run `UPDATE_SCHEMAS=1 cargo test --test schema` and commit the result"
        );
    }
}

#[test]
fn the_templates_validate_against_the_portfolio_schema_shape() {
    // Every top-level key the templates use is a property of the schema.
    let schema = schema::definition();
    let props = schema["properties"].as_object().expect("properties");
    for template in [portfolio::domain::process::Template::Digdir, portfolio::domain::process::Template::Ehelse] {
        let value: serde_yaml::Value = serde_yaml::from_str(template.text()).expect("yaml");
        for key in value.as_mapping().expect("mapping").keys() {
            let key = key.as_str().expect("string key");
            assert!(props.contains_key(key), "{key} is not in the schema");
        }
    }
}

#[test]
fn every_code_is_documented() {
    let doc = include_str!("../docs/diagnostics.md");
    for code in portfolio::diag::Code::ALL {
        let row = format!("| {} |", code.as_str());
        assert!(doc.contains(&row), "{} ({}) is missing from docs/diagnostics.md", code.as_str(), code.title());
        assert!(doc.contains(code.title()), "the title of {} differs in docs/diagnostics.md", code.as_str());
    }
}

#[test]
fn known_subfields_match_the_types() {
    // process::known_subfields is written out by hand for speed; it must list
    // exactly the fields of the nested types the schema is generated from.
    let schema = schema::tiltak(None);
    for field in ["status", "risk", "timeframe", "budget"] {
        let reference = schema["properties"][field]["anyOf"]
            .as_array()
            .and_then(|alts| alts.iter().find_map(|a| a["$ref"].as_str()))
            .or_else(|| schema["properties"][field]["$ref"].as_str())
            .unwrap_or_else(|| panic!("{field} has no $ref: {}", schema["properties"][field]));
        let name = reference.trim_start_matches("#/$defs/");
        let mut from_type: Vec<&str> =
            schema["$defs"][name]["properties"].as_object().expect("properties").keys().map(String::as_str).collect();
        let mut listed = portfolio::domain::process::known_subfields(field).to_vec();
        from_type.sort_unstable();
        listed.sort_unstable();
        assert_eq!(listed, from_type, "known_subfields({field:?})");
    }
}
