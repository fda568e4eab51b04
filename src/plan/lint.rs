//! Warnings about what the 责任书 will say, located where the data can be mended: a unit's letter
//! with no duty of its own, two letters that differ only in names (考核细则 commonly deduct for
//! 责任书内容照搬照抄), a 分管领导 outside the committee zeren.yaml lists, an `exclude` tag no
//! unit carries where units are tagged (a misspelt tag would silently exclude nothing), a kind
//! of unit no duty group applies to.

use crate::diag::{Place, Problem, Problems};
use crate::model::{Audience, KindId, Tier, Unit, Workspace};
use std::collections::{HashMap, HashSet};

pub fn letter_warnings(ws: &Workspace) -> Problems {
    let mut out = Problems::new();
    // Without the catalogue no letter is made (another kind's build, or no duties file).
    if ws.duty_groups.is_empty() || ws.units.is_empty() {
        return out;
    }
    let tiers = &ws.settings.letter.tiers;
    if tiers.contains(&Tier::Units) {
        same_letters(ws, &mut out);
        kinds_without_groups(ws, &mut out);
    }
    if tiers.contains(&Tier::Members) && !ws.settings.members.is_empty() {
        let s = &ws.settings;
        // One warning per name, at its first unit, naming the units: a roster of thousands
        // with one misspelt 分管领导 gives one line, not thousands.
        // Looked up in maps: a hostile roster may name as many leaders as it has rows.
        let listed: HashSet<&str> = s.members.iter().map(|m| m.name.as_str()).collect();
        let mut outside: Vec<(&str, Vec<&Unit>)> = Vec::new();
        let mut at: HashMap<&str, usize> = HashMap::new();
        for unit in &ws.units {
            let Some(sup) = &unit.supervisor else { continue };
            if sup.name != s.signatory.name && !listed.contains(sup.name.as_str()) {
                let i = *at.entry(sup.name.as_str()).or_insert_with(|| {
                    outside.push((sup.name.as_str(), Vec::new()));
                    outside.len() - 1
                });
                outside[i].1.push(unit);
            }
        }
        // Many names at once (a roster whose 分管领导 column holds something else): one line.
        if outside.len() > NAMES_SHOWN {
            let names: Vec<String> = outside.iter().take(NAMES_SHOWN).map(|(n, _)| format!("“{n}”")).collect();
            let units: usize = outside.iter().map(|(_, u)| u.len()).sum();
            out.push(Problem::warning(
                outside[0].1[0].place.clone(),
                "letter.supervisor-not-member",
                format!(
                    "分管领导{}等 {} 人不在 zeren.yaml 的党委班子成员(members)中，他们分管的 {units} 个单位不会列入任何班子成员的“一岗双责”责任书；请在 members 中补上，或核对名单的“分管领导”列",
                    names.join("、"),
                    outside.len()
                ),
            ));
            outside.clear();
        }
        for (name, units) in outside {
            out.push(Problem::warning(
                units[0].place.clone(),
                "letter.supervisor-not-member",
                format!(
                    "{} 的分管领导“{name}”不在 zeren.yaml 的党委班子成员(members)中，这些单位不会列入任何班子成员的“一岗双责”责任书；请在 members 中补上他（她），或改正姓名",
                    some_names(&units)
                ),
            ));
        }
    }
    // Only where the units carry tags at all: an Excel roster has none to give.
    let tagged = ws.units.iter().any(|u| !u.tags.is_empty());
    for g in ws.duty_groups.iter().filter(|_| tagged) {
        for tag in g.exclude.iter().filter(|t| !ws.units.iter().any(|u| u.tags.contains(t))) {
            out.push(Problem::warning(
                g.place.clone(),
                "group.exclude-unused",
                format!("责任组“{}”排除的标签(exclude)“{tag}”没有任何单位使用（单位的 tags）；是否写错了？", g.subject),
            ));
        }
    }
    out
}

/// A kind whose units sign letters that no group of the catalogue applies to: their letters hold
/// only each unit's own duties (a kind added to zeren.yaml but not to the catalogue's `applies_to`).
fn kinds_without_groups(ws: &Workspace, out: &mut Problems) {
    let kinds = &ws.settings.unit_kinds;
    let catalogue = ws.duty_groups[0].place.file().map_or(Place::Nowhere, |f| Place::File(f.to_path_buf()));
    for (id, kind) in kinds.iter().filter(|(_, k)| k.signs(Tier::Units)) {
        let count = ws.units.iter().filter(|u| u.kind == id).count();
        if count == 0 || ws.duty_groups.iter().any(|g| g.applies_to.contains(&Audience::Unit(id))) {
            continue;
        }
        let message = format!(
            "责任清单中没有适用于“{}”的责任组，这类单位（{count} 个）的责任书只有各单位自己的责任；请在相应责任组的 applies_to 中加上“{}”",
            kind.name, kind.name
        );
        out.push(Problem::warning(catalogue.clone(), "letter.kind-without-groups", message));
    }
}

/// A unit letter's content apart from names: its type (which decides the wording), the groups it
/// holds and its own duties.
type Content<'a> = (KindId, Vec<usize>, &'a [String]);

/// How many names a message lists before it says how many more.
const NAMES_SHOWN: usize = 8;

/// Names for a message: the first few, then how many more.
fn some_names(units: &[&Unit]) -> String {
    let names: Vec<String> = units.iter().take(NAMES_SHOWN).map(|u| format!("“{}”", u.name)).collect();
    match units.len() {
        n if n > NAMES_SHOWN => format!("{}等 {n} 个单位", names.join("、")),
        _ => names.join("、"),
    }
}

/// One warning for all the letters with nothing of their own, and one for each set of letters
/// that differ only in names — located at the first unit of each: a roster of 300 units without
/// own duties is one thing to mend, not 300 lines.
fn same_letters(ws: &Workspace, out: &mut Problems) {
    let mut sets: Vec<Vec<&Unit>> = Vec::new();
    let mut set_of: HashMap<Content, usize> = HashMap::new();
    let mut bare: Vec<&Unit> = Vec::new();
    for unit in &ws.units {
        let groups: Vec<usize> =
            ws.duty_groups.iter().enumerate().filter(|(_, g)| g.applies(Audience::Unit(unit.kind), Some(unit))).map(|(i, _)| i).collect();
        if unit.duties.is_empty() {
            bare.push(unit);
            continue;
        }
        let content: Content = (unit.kind, groups, &unit.duties);
        let i = *set_of.entry(content).or_insert_with(|| {
            sets.push(Vec::new());
            sets.len() - 1
        });
        sets[i].push(unit);
    }
    if let Some(first) = bare.first() {
        // The file, not the first unit's cell: the hint is about every unit it names.
        let place = first.place.file().map_or(Place::Nowhere, |f| Place::File(f.to_path_buf()));
        out.push(Problem::warning(
            place,
            "letter.no-own-duty",
            format!(
                "{} 的责任书没有本单位自己的责任，内容全部来自责任清单{}；请为它们写上结合本单位职责和廉政风险的重点责任（{}）",
                some_names(&bare),
                // Only true where two of them are of one kind.
                if bare.iter().enumerate().any(|(i, u)| bare[..i].iter().any(|v| v.kind == u.kind)) {
                    "，同类单位之间只有名称不同"
                } else {
                    ""
                },
                // Where the user writes them: the roster's column, or units.yaml.
                match &ws.unit_source {
                    crate::model::UnitSource::Roster { .. } => "名单的“本单位责任”列，一行一条",
                    _ => "units.yaml 中该单位的 duties",
                }
            ),
        ));
    }
    for units in sets.iter().filter(|units| units.len() > 1) {
        out.push(Problem::warning(
            units[1].place.clone(),
            "letter.same-content",
            format!(
                "{} 的责任书只有名称不同，本单位责任也一样（考核时常按“责任书内容照搬照抄”扣分）；请为它们写上各自的重点责任",
                some_names(units)
            ),
        ));
    }
}
