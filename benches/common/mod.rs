//! What the benches share: timing reports, resident memory, and generated news text.
#![allow(dead_code)] // each bench uses its own part

use std::time::Duration;

pub fn report(what: &str, samples: &mut [Duration], budget: Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: n={} median {:.3} ms, p99 {:.3} ms, max {:.3} ms (budget {:.0} ms{})",
        samples.len(),
        ms(at(0.5)),
        ms(at(0.99)),
        ms(at(1.0)),
        ms(budget),
        if samples.len() >= 100 { " p99" } else { "" },
    );
}

/// Waits for `child`: how it ended, its CPU time, and its peak resident memory in KiB,
/// the kernel's own (VmHWM), read until it ends; its last milliseconds only free.
pub fn watch(child: &mut std::process::Child) -> (std::process::ExitStatus, Duration, f64) {
    let mut peak_kb = 0.0_f64;
    let mut cpu = Duration::ZERO;
    let pid = child.id().to_string();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, cpu, peak_kb);
        }
        peak_kb = peak_kb.max(memory_kb(&pid, "VmHWM"));
        cpu = cpu_time(&pid).unwrap_or(cpu);
        std::thread::sleep(Duration::from_millis(2));
    }
}

pub fn resident_mb() -> f64 {
    memory_kb("self", "VmRSS") / 1024.0
}

/// A memory figure of process `pid` ("self" for this one), in KiB, from
/// `/proc/<pid>/status` (`VmRSS`, `VmHWM`…); 0 once the process has ended.
pub fn memory_kb(pid: &str, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0)
}

/// The CPU time process `pid` used so far, user and system, from `/proc/<pid>/stat`;
/// `None` once it has ended.
pub fn cpu_time(pid: &str) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command's name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // The kernel's clock ticks are 100 a second on Linux.
    Some(Duration::from_millis(ticks * 10))
}

pub const WORDS: &[&str] = &[
    "gouvernement",
    "réforme",
    "budget",
    "ville",
    "culture",
    "festival",
    "élection",
    "climat",
    "énergie",
    "école",
    "santé",
    "hôpital",
    "transport",
    "région",
    "européen",
    "projet",
    "débat",
    "annonce",
    "ministre",
    "marché",
    "entreprise",
    "recherche",
    "université",
    "numérique",
    "sécurité",
    "justice",
    "football",
    "musique",
    "cinéma",
    "livre",
    "exposition",
    "quartier",
    "habitants",
    "maire",
    "député",
    "sénat",
    "loi",
    "vote",
    "accord",
    "crise",
];

/// Words of news text: the frequent ones above, then a long tail of 20,000 made-up words,
/// drawn so that a word's frequency falls with its rank (Zipf), as in real text.
pub fn text(seed: usize, words: usize) -> String {
    (0..words).map(|i| word(zipf(seed * 7919 + i * 104_729 + i * i))).collect::<Vec<_>>().join(" ")
}

pub const VOCABULARY: usize = 20_000;

/// A rank in the vocabulary, small ranks far more often than large ones.
pub fn zipf(seed: usize) -> usize {
    let mut x = seed as u64 ^ 0x9e37_79b9_7f4a_7c15;
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    let u = ((x ^ (x >> 31)) >> 11) as f64 / (1u64 << 53) as f64;
    ((VOCABULARY as f64).powf(u) as usize).saturating_sub(1)
}

/// The word of a rank: a real one for the first ranks, else one made of syllables.
pub fn word(rank: usize) -> String {
    const SYLLABLES: [&str; 12] = ["ma", "ri", "to", "ve", "lo", "su", "pa", "ne", "ci", "da", "gu", "fe"];
    if let Some(w) = WORDS.get(rank) {
        return (*w).to_owned();
    }
    let mut n = rank;
    let mut out = String::new();
    while n > 0 || out.len() < 4 {
        out.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
    }
    out
}

/// The parts of the `n`th generated article: a body of 3–5 KB in six paragraphs.
pub struct Item {
    pub title: String,
    pub author: String,
    pub section: String,
    pub summary: String,
    pub content: String,
}

impl Item {
    pub fn new(n: usize) -> Item {
        let paragraphs: String = (0..6).map(|p| format!("<p>{}.</p>", text(n + p, 90 + (n + p) % 40))).collect();
        Item {
            title: format!("{} : {}", text(n, 3), text(n + 1, 6 + n % 5)),
            author: format!("Auteur {}", n % 97),
            section: format!("Rubrique {}", n % 12),
            summary: format!("<p>{}</p>", text(n + 2, 30)),
            content: format!("<h2>{}</h2>{paragraphs}", text(n + 3, 4)),
        }
    }
}
