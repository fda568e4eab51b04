//! A run's shared font subsets. Subsetting a CJK face and compressing the subset, in every one
//! of thousands of PDFs, was most of `--pdf`'s time, though the documents of a kind are mostly
//! the same text. So each face gets, once per kind, a subset of the characters most of a sample
//! of the kind's documents use, embedded whole (its program compressed once, by krilla as
//! patched, see vendor/krilla/PATCHES.md), and only the characters the sample did not share (a
//! unit's name, a leader's) are subset per PDF from the face itself. Every PDF still holds every
//! glyph it shows, and nothing else of the machine's fonts beyond the shared subset.

use super::fonts::{Face, Faces};
use super::sheet::{Mark, Sheet};
use crate::layout::style::FontRole;
use skrifa::MetadataProvider;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// How many documents of a kind are read for its shared subset: the first of the run, so the
/// same run gives the same PDFs, byte for byte.
pub const SAMPLE: usize = 16;

/// A character as the shared subset draws it: the subset font and the glyph's number in it.
#[derive(Clone)]
pub struct Glyph {
    pub font: krilla::text::Font,
    pub id: u16,
}

/// The shared subsets of one kind's documents: for each role (by its place in `ROLES`), the
/// characters they draw, sorted (a lookup per character drawn: a binary search, no hashing).
#[derive(Clone, Default)]
pub struct Shared {
    by_role: Vec<Vec<(char, Glyph)>>,
}

impl Shared {
    /// Nothing shared: every character subset per PDF.
    pub fn none() -> Shared {
        Shared::default()
    }

    /// The shared subsets for documents like `sample` (their sheets): a character goes in when a
    /// quarter of the sample's documents, and at least one, draw it in that face.
    pub fn of(faces: &Faces, sample: &[Vec<Sheet>]) -> Shared {
        // Documents drawing each (face, character).
        let mut seen: HashMap<(usize, char), usize> = HashMap::new();
        for doc in sample {
            let mut in_doc: BTreeSet<(usize, char)> = BTreeSet::new();
            for mark in doc.iter().flat_map(|s| &s.marks) {
                if let Mark::Text { role, text, .. } = mark {
                    for c in text.chars() {
                        if let Some(face) = faces.for_char(*role, c) {
                            in_doc.insert((face.slot, c));
                        }
                    }
                }
            }
            for key in in_doc {
                *seen.entry(key).or_default() += 1;
            }
        }
        let least = sample.len().div_ceil(4).max(1);
        let mut chosen: BTreeSet<(usize, char)> = seen.into_iter().filter(|(_, n)| *n >= least).map(|(k, _)| k).collect();
        let mut fonts: HashMap<usize, (krilla::text::Font, HashMap<u16, u16>)> = HashMap::new();
        for face in faces.distinct() {
            let chars: Vec<char> = chosen.iter().filter(|(s, _)| *s == face.slot).map(|(_, c)| *c).collect();
            if chars.is_empty() {
                continue;
            }
            match subset(face, &chars) {
                Some(made) => {
                    fonts.insert(face.slot, made);
                }
                // A face that cannot be subset here is left to krilla, per PDF.
                None => chosen.retain(|(s, _)| *s != face.slot),
            }
        }
        let mut by_role = vec![Vec::new(); super::fonts::ROLES.len()];
        for (rank, role) in super::fonts::ROLES.into_iter().enumerate() {
            for &(slot, c) in &chosen {
                let Some(face) = faces.for_char(role, c).filter(|f| f.slot == slot) else { continue };
                let (Some((font, ids)), Some(old)) = (fonts.get(&slot), face.glyph(c)) else { continue };
                if let Some(&id) = ids.get(&old) {
                    by_role[rank].push((c, Glyph { font: font.clone(), id }));
                }
            }
            by_role[rank].sort_by_key(|(c, _)| *c);
        }
        Shared { by_role }
    }

    /// How `role` draws `c` from the shared subset, if it is there.
    pub fn glyph(&self, role: FontRole, c: char) -> Option<&Glyph> {
        let chars = self.by_role.get(rank(role))?;
        chars.binary_search_by_key(&c, |(k, _)| *k).ok().map(|i| &chars[i].1)
    }

    /// Characters shared, over all roles.
    pub fn len(&self) -> usize {
        self.by_role.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A subset of `face` holding `chars`, as a font embedded whole, and its glyph numbers (the
/// face's → the subset's).
fn subset(face: &Face, chars: &[char]) -> Option<(krilla::text::Font, HashMap<u16, u16>)> {
    let font = skrifa::FontRef::from_index(&face.data, face.index).ok()?;
    let charmap = font.charmap();
    let mut olds: Vec<u16> = chars.iter().filter_map(|c| charmap.map(*c)).filter_map(|g| u16::try_from(g.to_u32()).ok()).collect();
    olds.sort_unstable();
    olds.dedup();
    let mut mapper = subsetter::GlyphRemapper::new();
    for g in &olds {
        mapper.remap(*g);
    }
    let bytes = subsetter::subset(&face.data, face.index, &mapper).ok()?;
    let whole = krilla::text::Font::new_whole(krilla::Data::from(Arc::new(bytes)), 0, &face.font)?;
    let ids = olds.iter().filter_map(|g| mapper.get(*g).map(|n| (*g, n))).collect();
    Some((whole, ids))
}

/// A role's place in `ROLES` (a key; `FontRole` is not hashed).
fn rank(role: FontRole) -> usize {
    super::fonts::ROLES.iter().position(|r| *r == role).unwrap_or(0)
}
