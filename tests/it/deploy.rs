//! The deploy files follow the rules of the hosts they are for: Railway refuses `VOLUME` and
//! cache mounts without an id, and mounts root-owned volumes; an `.env` copied from the example
//! must not override the image's paths.

fn file(name: &str) -> String {
    std::fs::read_to_string(format!("{}/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The instruction lines of a Dockerfile (continuations joined, comments dropped).
fn instructions(dockerfile: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut continued = false;
    for line in dockerfile.lines().map(str::trim) {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if continued {
            out.last_mut().unwrap().push_str(line);
        } else {
            out.push(line.to_string());
        }
        continued = line.ends_with('\\');
    }
    out
}

fn last_stage(lines: &[String]) -> Vec<String> {
    let from = lines.iter().rposition(|l| l.starts_with("FROM ")).unwrap();
    lines[from..].to_vec()
}

#[test]
fn railway_builds_its_dockerfile_and_can_write_its_root_owned_volume() {
    let toml = file("railway.toml");
    assert!(
        toml.contains("dockerfilePath = \"Dockerfile.railway\""),
        "{toml}"
    );
    let lines = instructions(&file("Dockerfile.railway"));
    assert!(
        !lines.iter().any(|l| l.starts_with("VOLUME")),
        "Railway refuses VOLUME"
    );
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("type=cache") && !l.contains("id=")),
        "Railway wants an id on cache mounts"
    );
    let runtime = last_stage(&lines);
    assert!(!runtime[0].contains("nonroot"), "{runtime:?}");
    assert!(
        !runtime.iter().any(|l| l.starts_with("USER")),
        "{runtime:?}"
    );
}

#[test]
fn the_docker_image_stays_distroless_and_non_root() {
    let lines = instructions(&file("Dockerfile"));
    assert!(!lines.iter().any(|l| l.starts_with("VOLUME")));
    assert!(
        lines
            .iter()
            .filter(|l| l.contains("type=cache"))
            .all(|l| l.matches("type=cache").count() == l.matches("id=").count()),
        "every cache mount is named"
    );
    let runtime = last_stage(&lines);
    assert!(runtime[0].contains("distroless") && runtime[0].contains("nonroot"));
    assert!(runtime.iter().any(|l| l == "USER nonroot"));
}

#[test]
fn an_env_copied_from_the_example_sets_only_the_token() {
    let example = file(".env.example");
    let set: Vec<&str> = example
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .collect();
    assert_eq!(set.len(), 1, "{set:?}");
    assert!(set[0].starts_with("TELOXIDE_TOKEN="), "{set:?}");
}
