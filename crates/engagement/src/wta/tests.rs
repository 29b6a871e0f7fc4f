use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

/// Brute force: every round to every target or unused.
fn brute_force(inst: &WtaInstance) -> f64 {
    let mut types = Vec::new();
    for (i, w) in inst.weapons.iter().enumerate() {
        types.extend(std::iter::repeat_n(i, w.count as usize));
    }
    let t = inst.num_targets();
    let n = types.len();
    let mut best = f64::INFINITY;
    let mut choice = vec![0usize; n];
    loop {
        let mut a = vec![vec![0u32; t]; inst.num_weapon_types()];
        for (r, &c) in choice.iter().enumerate() {
            if c < t {
                a[types[r]][c] += 1;
            }
        }
        best = best.min(inst.objective(&a).unwrap());
        let mut k = 0;
        loop {
            if k == n {
                return best;
            }
            choice[k] += 1;
            if choice[k] <= t {
                break;
            }
            choice[k] = 0;
            k += 1;
        }
    }
}

fn random_small(seed: u64) -> WtaInstance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let t = rng.random_range(1..=4usize);
    let w = rng.random_range(1..=4usize);
    let mut rounds_left = 6u32;
    let weapons = (0..w)
        .map(|_| {
            let count = rng.random_range(0..=rounds_left.min(3));
            rounds_left -= count;
            WeaponType {
                count,
                pk: (0..t)
                    .map(|_| match rng.random_range(0..10u32) {
                        0 => 0.0,
                        1 => 1.0,
                        _ => rng.random_range(0.05..0.95),
                    })
                    .collect(),
            }
        })
        .collect();
    WtaInstance { target_values: (0..t).map(|_| rng.random_range(0.0..100.0)).collect(), weapons }
}

fn assert_close(a: f64, b: f64, rel: f64, what: &str) {
    assert!((a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-9), "{what}: {a} vs {b}");
}

#[test]
fn exact_equals_brute_force_on_small_instances() {
    for seed in 0..300 {
        let inst = random_small(seed);
        let bf = brute_force(&inst);
        let sol = solve(&inst, &SolveOptions::exact()).unwrap();
        assert!(sol.optimal, "seed {seed}: not certified {sol:?}");
        assert_close(sol.objective, bf, 1e-9, &format!("seed {seed}"));
        assert!(sol.lower_bound <= bf * (1.0 + 1e-12) + 1e-12, "seed {seed}: LB above optimum");
        assert_eq!(inst.objective(&sol.assignment).unwrap(), sol.objective);
    }
}

#[test]
fn exact_equals_brute_force_on_generated_6x6() {
    for seed in 0..6 {
        let mut inst = generate(InstanceClass::A, 5, seed);
        inst.weapons.truncate(6);
        let bf = brute_force(&inst);
        let sol = solve(&inst, &SolveOptions::exact()).unwrap();
        assert!(sol.optimal);
        assert_close(sol.objective, bf, 1e-9, &format!("seed {seed}"));
    }
}

#[test]
fn heuristics_never_beat_the_optimum_and_bounds_hold() {
    for (class, t) in [
        (InstanceClass::A, 12),
        (InstanceClass::B, 10),
        (InstanceClass::C, 16),
        (InstanceClass::D { mu: 2 }, 12),
    ] {
        for seed in 0..4 {
            let inst = generate(class, t, seed);
            let opt = solve(&inst, &SolveOptions::exact()).unwrap();
            assert!(opt.optimal, "{class:?} {seed}");
            for h in Heuristic::ALL {
                let sol = solve(&inst, &SolveOptions::heuristic(h)).unwrap();
                inst.check_assignment(&sol.assignment).unwrap();
                assert!(sol.objective >= opt.objective * (1.0 - 1e-9), "{h:?} beat the optimum");
                assert!(sol.lower_bound <= opt.objective * (1.0 + 1e-9), "{h:?} bound above optimum");
                // Every round is used.
                let used: u64 = sol.assignment.iter().flatten().map(|&x| x as u64).sum();
                assert_eq!(used, inst.total_rounds());
            }
        }
    }
}

#[test]
fn mmr_is_optimal_when_pk_depends_only_on_target() {
    // den Broeder, Ellison & Emerling (1959): identical weapons => MMR optimal.
    for seed in 0..40 {
        let mut rng = ChaCha8Rng::seed_from_u64(1000 + seed);
        let t = rng.random_range(1..=5usize);
        let pk: Vec<f64> = (0..t).map(|_| rng.random_range(0.05..0.95)).collect();
        let w = rng.random_range(1..=3usize);
        let weapons =
            (0..w).map(|_| WeaponType { count: rng.random_range(0..=2u32), pk: pk.clone() }).collect();
        let inst =
            WtaInstance { target_values: (0..t).map(|_| rng.random_range(1.0..100.0)).collect(), weapons };
        let bf = brute_force(&inst);
        let m = solve(&inst, &SolveOptions::heuristic(Heuristic::Mmr)).unwrap();
        assert_close(m.objective, bf, 1e-12, &format!("seed {seed}"));
        // The identical-weapon lower bound is exact here too.
        assert!(m.optimal, "seed {seed}");
    }
    // Larger instance against the exact solver.
    let mut rng = ChaCha8Rng::seed_from_u64(77);
    let pk: Vec<f64> = (0..30).map(|_| rng.random_range(0.3..0.9)).collect();
    let inst = WtaInstance {
        target_values: (0..30).map(|_| rng.random_range(25.0..100.0)).collect(),
        weapons: vec![WeaponType { count: 45, pk }],
    };
    let m = solve(&inst, &SolveOptions::heuristic(Heuristic::Mmr)).unwrap();
    let e = solve(&inst, &SolveOptions::exact()).unwrap();
    assert!(e.optimal);
    assert_close(m.objective, e.objective, 1e-9, "45 rounds on 30 targets");
}

#[test]
fn validation_errors_name_field_and_range() {
    let good = WtaInstance {
        target_values: vec![10.0, 20.0],
        weapons: vec![WeaponType { count: 1, pk: vec![0.5, 0.5] }],
    };
    assert!(good.validate().is_ok());
    let mut bad = good.clone();
    bad.target_values[1] = -1.0;
    assert_eq!(bad.validate(), Err(WtaError::TargetValue { index: 1, value: -1.0 }));
    let mut bad = good.clone();
    bad.target_values[0] = f64::NAN;
    assert!(matches!(bad.validate(), Err(WtaError::TargetValue { index: 0, .. })));
    let mut bad = good.clone();
    bad.weapons[0].pk[1] = 1.2;
    let e = bad.validate().unwrap_err();
    assert_eq!(e, WtaError::Pk { weapon: 0, target: 1, value: 1.2 });
    assert!(e.to_string().contains("weapons[0].pk[1]") && e.to_string().contains("[0, 1]"));
    let mut bad = good.clone();
    bad.weapons[0].pk.pop();
    assert!(matches!(bad.validate(), Err(WtaError::PkLength { .. })));
    let mut bad = good.clone();
    bad.weapons[0].count = u32::MAX;
    assert!(matches!(bad.validate(), Err(WtaError::TooManyRounds { .. })));
    assert!(solve(&bad, &SolveOptions::exact()).is_err());
    assert!(good.objective(&[vec![1, 1]]).is_err());
    assert!(good.objective(&[vec![1]]).is_err());
}

#[test]
fn degenerate_instances() {
    let none = WtaInstance { target_values: vec![], weapons: vec![] };
    let s = solve(&none, &SolveOptions::exact()).unwrap();
    assert!(s.optimal && s.objective == 0.0);
    let no_weapons = WtaInstance { target_values: vec![3.0, 4.0], weapons: vec![] };
    let s = solve(&no_weapons, &SolveOptions::exact()).unwrap();
    assert!(s.optimal && s.objective == 7.0);
    let zero = WtaInstance {
        target_values: vec![0.0, 0.0],
        weapons: vec![WeaponType { count: 3, pk: vec![0.5, 1.0] }],
    };
    let s = solve(&zero, &SolveOptions::exact()).unwrap();
    assert!(s.optimal && s.objective == 0.0);
    for h in Heuristic::ALL {
        assert!(solve(&no_weapons, &SolveOptions::heuristic(h)).unwrap().objective == 7.0);
    }
}

#[test]
fn deterministic_and_time_limit_respected() {
    let inst = generate(InstanceClass::B, 20, 3);
    let a = solve(&inst, &SolveOptions::exact()).unwrap();
    let b = solve(&inst, &SolveOptions::exact()).unwrap();
    assert_eq!(a.assignment, b.assignment);
    assert_eq!(a.objective, b.objective);
    let v1 = solve(&inst, &SolveOptions::heuristic(Heuristic::Vlns)).unwrap();
    let v2 = solve(&inst, &SolveOptions::heuristic(Heuristic::Vlns)).unwrap();
    assert_eq!(v1, v2);
    let opts = SolveOptions { method: Method::Exact, time_limit: Some(std::time::Duration::ZERO) };
    let t = solve(&inst, &opts).unwrap();
    assert!(t.stats.time_limited && !t.optimal);
    assert!(t.lower_bound <= a.objective * (1.0 + 1e-9));
    inst.check_assignment(&t.assignment).unwrap();
}

#[test]
fn certified_optima_of_stored_fixtures() {
    // Optima computed independently by HiGHS (tools/wta_highs.py) on instances written by
    // `generate`; see tests/fixtures/README.md.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wta");
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    let mut checked = 0;
    let mut names: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    names.sort();
    for path in names {
        if path.extension().and_then(|e| e.to_str()) != Some("json")
            || path.to_string_lossy().ends_with(".opt.json")
        {
            continue;
        }
        let opt_path = path.with_extension("opt.json");
        let Ok(opt_text) = std::fs::read_to_string(&opt_path) else { continue };
        let opt: serde_json::Value = serde_json::from_str(&opt_text).unwrap();
        let highs = opt["objective"].as_f64().unwrap();
        let inst = io::read_instance(&path).unwrap();
        let sol = solve(&inst, &SolveOptions::exact()).unwrap();
        assert!(sol.optimal, "{}", path.display());
        assert_close(sol.objective, highs, 2e-6, &path.display().to_string());
        checked += 1;
    }
    assert!(checked > 0, "no fixtures found in {}", dir.display());
}

#[test]
fn vlns_never_worse_than_its_construction_nor_better_than_the_optimum() {
    // Random small instances (pk 0 and 1 included) and generated classes with several rounds per
    // type: the exchange steps only accept placements no worse than the current one.
    let mut instances: Vec<WtaInstance> = (0..120).map(|s| random_small(5000 + s)).collect();
    for seed in 0..3 {
        instances.push(generate(InstanceClass::B, 14, 100 + seed));
        instances.push(generate(InstanceClass::D { mu: 3 }, 14, 100 + seed));
    }
    for (k, inst) in instances.iter().enumerate() {
        let p = Problem::new(inst);
        let start = heuristics::construct(&p);
        let v = solve(inst, &SolveOptions::heuristic(Heuristic::Vlns)).unwrap();
        inst.check_assignment(&v.assignment).unwrap();
        assert!(v.objective <= start.objective(&p) * (1.0 + 1e-12) + 1e-12, "instance {k}");
        let opt = solve(inst, &SolveOptions::exact()).unwrap();
        assert!(opt.optimal, "instance {k}");
        assert!(v.objective >= opt.objective * (1.0 - 1e-9) - 1e-12, "instance {k}: VLNS beat the optimum");
    }
}

#[test]
fn vlns_time_limit_returns_a_valid_assignment() {
    let inst = generate(InstanceClass::B, 30, 7);
    let opts = SolveOptions {
        method: Method::Heuristic(Heuristic::Vlns),
        time_limit: Some(std::time::Duration::ZERO),
    };
    let cut = solve(&inst, &opts).unwrap();
    assert!(cut.stats.time_limited);
    inst.check_assignment(&cut.assignment).unwrap();
    let full = solve(&inst, &SolveOptions::heuristic(Heuristic::Vlns)).unwrap();
    assert!(!full.stats.time_limited);
    assert!(full.objective <= cut.objective * (1.0 + 1e-12));
}
