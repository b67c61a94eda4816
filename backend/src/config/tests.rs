use super::*;

fn args() -> ConfigArgs {
    ConfigArgs::default()
}

#[test]
fn defaults_make_a_standard_install() {
    let config = Config::load(args()).expect("defaults are valid");
    assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(config.data_dir, PathBuf::from("./data"));
    assert_eq!(config.database_url.expose(), "sqlite://./data/tributary.db?mode=rwc");
    assert_eq!(config.modules, vec!["core"]);
    assert_eq!(config.max_body_bytes, 10 << 20);
    assert!(!config.is_postgres());
}

#[test]
fn every_problem_is_listed_at_once() {
    let errors = Config::load(ConfigArgs {
        listen: Some("nowhere".into()),
        database_url: Some("mysql://x".into()),
        modules: Some(vec!["quality".into(), "teleport".into()]),
        max_body_size: Some("ten".into()),
        session_ttl: Some("forever".into()),
        log_format: Some("xml".into()),
        ..args()
    })
    .expect_err("invalid configuration accepted");
    let joined = errors.join("\n");
    for expected in ["listen:", "database_url:", "teleport", "max_body_size:", "session_ttl:", "log_format:"]
    {
        assert!(joined.contains(expected), "missing {expected} in {joined}");
    }
    assert_eq!(errors.len(), 6, "{joined}");
}

#[test]
fn postgres_needs_a_shared_secret_key() {
    let pg = || ConfigArgs { database_url: Some("postgres://postgres@127.0.0.1/t".into()), ..args() };
    let errors = Config::load(pg()).expect_err("cluster without a key accepted");
    assert!(errors[0].starts_with("secret_key:"));
    let config = Config::load(ConfigArgs { secret_key: Some("k".repeat(32)), ..pg() }).expect("valid");
    assert!(config.is_postgres());
    assert_eq!(format!("{:?}", config.secret_key), "Some(Secret(***))");
}

#[test]
fn file_settings_apply_under_flags_and_unknown_keys_are_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("tributary.toml");
    std::fs::write(
        &path,
        "listen = \"127.0.0.1:9000\"\nmodules = [\"address\"]\nnode_name = \"from-file\"\n",
    )
    .expect("write");
    let config = Config::load(ConfigArgs {
        config: Some(path.clone()),
        node_name: Some("from-flag".into()),
        ..args()
    })
    .expect("valid");
    assert_eq!(config.listen.port(), 9000);
    assert_eq!(config.modules, vec!["core", "address"]);
    assert_eq!(config.node_name, "from-flag");

    std::fs::write(&path, "listen_on = \"127.0.0.1:9000\"\n").expect("write");
    let errors = Config::load(ConfigArgs { config: Some(path), ..args() }).expect_err("unknown key accepted");
    assert!(errors[0].contains("listen_on"), "{errors:?}");
}

#[test]
fn sizes_parse_with_units() {
    assert_eq!(parse_size("10MiB"), Ok(10 << 20));
    assert_eq!(parse_size("512KiB"), Ok(512 << 10));
    assert_eq!(parse_size("2048"), Ok(2048));
    assert!(parse_size("0").is_err());
    assert!(parse_size("12 parsecs").is_err());
}
