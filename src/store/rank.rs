//! Search ranking: `kiosque_rank`, an FTS5 auxiliary function computing BM25 as FTS5's own
//! `bm25()` does, with one difference. `bm25()` learns how rare each searched word is by
//! reading that word's whole list of articles, at every search: for a word that most
//! articles hold, that is most of the search's time (12 ms of a 100,000-article cache).
//! `kiosque_rank` is given each phrase's rarity (idf) by the caller, who counts each
//! phrase's matches anyway, for the search's total.
//!
//! SQLite's C interface is the only way to add an auxiliary function, hence the unsafe
//! code below; it only reads what FTS5 hands it, and reports FTS5's errors as its own.

use std::ffi::{c_int, c_void};
use std::ptr;

use rusqlite::Connection;
use rusqlite::ffi;

use super::Result;

/// The name SQL calls it by: `kiosque_rank(articles_fts, idf of phrase 1, idf of 2, …)`.
pub(super) const NAME: &str = "kiosque_rank";

/// Column weights (title, byline, section, body) and BM25's usual constants.
const WEIGHTS: [f64; 4] = [10.0, 3.0, 3.0, 1.0];
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// A phrase's rarity among `rows` articles of which `hits` hold it, as `bm25()` has it.
pub(super) fn idf(rows: i64, hits: i64) -> f64 {
    let (rows, hits) = (rows as f64, hits as f64);
    ((rows - hits + 0.5) / (hits + 0.5)).ln().max(1e-6)
}

/// Adds `kiosque_rank` to the connection's FTS5.
pub(super) fn register(conn: &Connection) -> Result<()> {
    // SAFETY: the handle is the connection's own and outlives these calls; the pointer
    // FTS5 hands back through `fts5(?1)` is its API object, valid while the connection is.
    unsafe {
        let db = conn.handle();
        let api = fts5_api(db)?;
        let create = (*api).xCreateFunction.ok_or_else(|| missing("xCreateFunction"))?;
        let name = c"kiosque_rank";
        let rc = create(api, name.as_ptr(), ptr::null_mut(), Some(rank), None);
        if rc != ffi::SQLITE_OK {
            return Err(rusqlite::Error::SqliteFailure(ffi::Error::new(rc), Some(format!("cannot add {NAME}"))).into());
        }
    }
    Ok(())
}

fn missing(what: &str) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_MISUSE), Some(format!("FTS5 lacks {what}")))
}

/// FTS5's API object, which `SELECT fts5(?1)` writes through a bound pointer.
///
/// SAFETY: `db` must be an open connection.
unsafe fn fts5_api(db: *mut ffi::sqlite3) -> rusqlite::Result<*mut ffi::fts5_api> {
    let mut api: *mut ffi::fts5_api = ptr::null_mut();
    let mut statement = ptr::null_mut();
    let sql = c"SELECT fts5(?1)";
    // SAFETY: per the caller; `api` outlives the statement, which is finalized here.
    unsafe {
        let rc = ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut statement, ptr::null_mut());
        if rc != ffi::SQLITE_OK {
            return Err(missing("fts5()"));
        }
        let out = (&mut api as *mut *mut ffi::fts5_api).cast::<c_void>();
        ffi::sqlite3_bind_pointer(statement, 1, out, c"fts5_api_ptr".as_ptr(), None);
        ffi::sqlite3_step(statement);
        ffi::sqlite3_finalize(statement);
    }
    if api.is_null() { Err(missing("its API")) } else { Ok(api) }
}

/// The score of the current row: negative, so that the best comes first in ascending
/// order, as with `bm25()`.
///
/// SAFETY: called by FTS5 only, with its API, the row's context and `count` arguments.
unsafe extern "C" fn rank(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    context: *mut ffi::sqlite3_context,
    count: c_int,
    args: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: per the function's contract.
    unsafe {
        let idfs: Vec<f64> = (0..count.max(0) as usize).map(|i| ffi::sqlite3_value_double(*args.add(i))).collect();
        match score(&*api, fts, &idfs) {
            Ok(score) => ffi::sqlite3_result_double(context, -score),
            Err(rc) => ffi::sqlite3_result_error_code(context, rc),
        }
    }
}

/// The average length of an article, in tokens: read once a search, then kept with it.
///
/// SAFETY: `api` and `fts` as FTS5 hands them to an auxiliary function.
unsafe fn average_length(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    columns: usize,
) -> std::result::Result<f64, c_int> {
    let (Some(get), Some(set), Some(row_count), Some(total_size)) =
        (api.xGetAuxdata, api.xSetAuxdata, api.xRowCount, api.xColumnTotalSize)
    else {
        return Err(ffi::SQLITE_MISUSE);
    };
    unsafe extern "C" fn free(average: *mut c_void) {
        // SAFETY: FTS5 gives back the box made below, once.
        drop(unsafe { Box::from_raw(average.cast::<f64>()) });
    }
    // SAFETY: the auxiliary data is this function's box of an f64, or null.
    unsafe {
        let kept = get(fts, 0).cast::<f64>();
        if !kept.is_null() {
            return Ok(*kept);
        }
        let (mut rows, mut total) = (0i64, 0i64);
        if row_count(fts, &mut rows) != ffi::SQLITE_OK {
            return Err(ffi::SQLITE_ERROR);
        }
        for column in 0..columns as c_int {
            let mut size = 0;
            let rc = total_size(fts, column, &mut size);
            if rc != ffi::SQLITE_OK {
                return Err(rc);
            }
            total += size;
        }
        let average = if rows > 0 && total > 0 { total as f64 / rows as f64 } else { 1.0 };
        let rc = set(fts, Box::into_raw(Box::new(average)).cast::<c_void>(), Some(free));
        if rc != ffi::SQLITE_OK {
            return Err(rc);
        }
        Ok(average)
    }
}

/// BM25 of the current row, with the phrases' `idfs`; an FTS5 error code if it fails.
///
/// SAFETY: `api` and `fts` as FTS5 hands them to an auxiliary function.
unsafe fn score(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    idfs: &[f64],
) -> std::result::Result<f64, c_int> {
    let ok = |rc: c_int| if rc == ffi::SQLITE_OK { Ok(()) } else { Err(rc) };
    let (Some(phrase_count), Some(column_count), Some(inst_count), Some(inst), Some(column_size)) =
        (api.xPhraseCount, api.xColumnCount, api.xInstCount, api.xInst, api.xColumnSize)
    else {
        return Err(ffi::SQLITE_MISUSE);
    };

    // SAFETY: per the function's contract; every out-pointer is a local.
    unsafe {
        let phrases = phrase_count(fts).max(0) as usize;
        let columns = (column_count(fts).max(0) as usize).min(WEIGHTS.len());
        // Each phrase's frequency, weighted by the column it is found in.
        let mut frequency = vec![0.0; phrases];
        let mut instances = 0;
        ok(inst_count(fts, &mut instances))?;
        for i in 0..instances {
            let (mut phrase, mut column, mut offset) = (0, 0, 0);
            ok(inst(fts, i, &mut phrase, &mut column, &mut offset))?;
            if let (Some(f), Some(w)) = (frequency.get_mut(phrase as usize), WEIGHTS.get(column as usize)) {
                *f += w;
            }
        }
        let mut length = 0i64;
        for column in 0..columns as c_int {
            let mut size = 0;
            ok(column_size(fts, column, &mut size))?;
            length += i64::from(size);
        }
        let norm = K1 * (1.0 - B + B * length as f64 / average_length(api, fts, columns)?);
        Ok(frequency
            .iter()
            .enumerate()
            .map(|(i, &f)| idfs.get(i).copied().unwrap_or(1.0) * f * (K1 + 1.0) / (f + norm))
            .sum())
    }
}
