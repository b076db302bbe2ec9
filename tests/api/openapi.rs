//! The committed spec must equal what the code generates (`just openapi` regenerates it).

#[test]
fn committed_spec_matches_the_code() {
    let generated = kedao_api::openapi::spec_json().expect("spec");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date with the code: run `just openapi` (or `cargo run -p kedao-api -- openapi > openapi/openapi.json`)"
    );
}

#[test]
fn every_api_operation_declares_security_and_problem_responses() {
    let spec: serde_json::Value =
        serde_json::from_str(&kedao_api::openapi::spec_json().unwrap()).unwrap();
    let public = [
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
    ];
    let mut operations = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1") {
            continue;
        }
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|k| k.starts_with('4')),
                "{method} {path} documents no 4xx"
            );
            if !public.contains(&path.as_str()) {
                assert!(
                    op["security"].is_array(),
                    "{method} {path} declares no security"
                );
                assert!(
                    responses.contains_key("401"),
                    "{method} {path} documents no 401"
                );
            }
        }
    }
    assert!(operations >= 10, "only {operations} operations");
}
