//! What takes the keys above the panes, and is drawn over them: the help, the search
//! prompt, or a question to answer before an action that cannot be undone in one key
//! runs. One at a time; without one, keys go to the panes. Each reads keys through its
//! own table of the key map (the help through the panes').

use super::link_list::LinkList;
use crate::model::ArticleId;

pub enum Layer {
    Help {
        scroll: usize,
    },
    /// The search prompt: keys edit the query.
    Prompt,
    /// The article's links.
    Links(LinkList),
    /// `question`, answered y (or Enter) to run `action`; any other key says no.
    Confirm {
        question: String,
        action: Confirmable,
    },
}

/// The actions asked about first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmable {
    /// These articles, the unread ones listed when asked, read.
    MarkRead(Vec<ArticleId>),
}
