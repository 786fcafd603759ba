/* newsgraph: join highlighted marks (newsgraph/server/markup.py), side lists and sentences.
 *
 * - Clicking an element with data-record (a mark in .ng-doc, or any item outside it, such as a row of
 *   a statement list) selects that record: its marks and list items get .ng-selected and the sentences
 *   holding its marks get .active. From a list item the first sentence is scrolled to; from a mark in
 *   the text (already in view) the first list item is, if there is one.
 * - data-record="E1" (an entity) selects the speaker and addressee marks with data-entity="E1".
 * - On load: ?record=S3 selects S3, else #s-123 highlights sentence s-123; on a hash change, #s-123 does.
 *
 * Plain script, no libraries, no inline handlers; every lookup tolerates absent elements, so the file
 * can be included on every page.
 */
(function () {
  "use strict";

  var DOC = ".ng-doc";

  function quote(value) {
    if (window.CSS && typeof window.CSS.escape === "function") {
      return '"' + window.CSS.escape(value) + '"';
    }
    return '"' + String(value).replace(/["\\]/g, "\\$&") + '"';
  }

  function toArray(list) {
    return Array.prototype.slice.call(list);
  }

  function clearSelection() {
    toArray(document.querySelectorAll(".sent.active")).forEach(function (el) {
      el.classList.remove("active");
    });
    toArray(document.querySelectorAll(".ng-selected")).forEach(function (el) {
      el.classList.remove("ng-selected");
    });
  }

  function marksOf(record) {
    var q = quote(record);
    return toArray(document.querySelectorAll(DOC + " [data-record=" + q + "], " + DOC + " [data-entity=" + q + "]"));
  }

  function listItemsOf(record) {
    return toArray(document.querySelectorAll("[data-record=" + quote(record) + "]")).filter(function (el) {
      return !el.closest(DOC);
    });
  }

  function sentencesOf(marks) {
    var seen = [];
    marks.forEach(function (mark) {
      var sentence = mark.closest(".sent");
      if (sentence && seen.indexOf(sentence) < 0) {
        seen.push(sentence);
      }
    });
    return seen;
  }

  function reveal(el, block) {
    if (el && typeof el.scrollIntoView === "function") {
      el.scrollIntoView({ block: block, behavior: "smooth" });
    }
  }

  /* origin: "text" when a mark in the article was clicked, else "list" or "url". */
  function selectRecord(record, origin) {
    if (!record) {
      return;
    }
    clearSelection();
    var marks = marksOf(record);
    var items = listItemsOf(record);
    var sentences = sentencesOf(marks);
    marks.concat(items).forEach(function (el) {
      el.classList.add("ng-selected");
    });
    sentences.forEach(function (el) {
      el.classList.add("active");
    });
    if (origin === "text") {
      reveal(items[0], "nearest");
    } else {
      reveal(sentences[0] || items[0], "center");
      if (sentences[0]) {
        revealInList(items[0]);
      }
    }
  }

  /* Scroll a list item into view inside its own scrolling box (a side list beside the text) without
   * scrolling the page, which is busy bringing the sentence into view. */
  function revealInList(item) {
    var box = item ? item.parentElement : null;
    while (box && box !== document.body && box !== document.documentElement) {
      var overflow = window.getComputedStyle(box).overflowY;
      if ((overflow === "auto" || overflow === "scroll") && box.scrollHeight > box.clientHeight) {
        var itemTop = item.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
        box.scrollTop = Math.max(0, itemTop - (box.clientHeight - item.offsetHeight) / 2);
        return;
      }
      box = box.parentElement;
    }
  }

  function selectSentence(id) {
    var sentence = document.getElementById(id);
    if (!sentence || !sentence.classList.contains("sent")) {
      return;
    }
    clearSelection();
    sentence.classList.add("active");
    reveal(sentence, "center");
  }

  /* On load, ?record=S3 wins over #s-123: a link from a list of records (/articles/KEY?record=S3#s-123)
   * carries both, the hash so that the page opens at the sentence even without this script, the record
   * so that its marks and all its sentences are highlighted. A later hash change (a link inside the
   * page) selects that sentence. */
  function fromLocation(event) {
    var record = null;
    if (window.URLSearchParams) {
      record = new URLSearchParams(window.location.search).get("record");
    }
    var hash = window.location.hash;
    var sentence = /^#s-\d+$/.test(hash) ? hash.slice(1) : null;
    var onHashChange = event && event.type === "hashchange";
    if (record && !(onHashChange && sentence) && marksOf(record).length) {
      selectRecord(record, "url");
    } else if (sentence) {
      selectSentence(sentence);
    } else if (record) {
      selectRecord(record, "url");
    }
  }

  function recordTarget(event) {
    var target = event.target;
    if (!target || typeof target.closest !== "function") {
      return null;
    }
    var el = target.closest("[data-record]");
    if (!el) {
      return null;
    }
    var link = target.closest("a[href]");
    if (link && el.contains(link) && !link.hasAttribute("data-record")) {
      return null; // a real link inside a list item: let it go where it goes
    }
    return el;
  }

  function onClick(event) {
    var el = recordTarget(event);
    if (!el) {
      return;
    }
    var selection = window.getSelection ? String(window.getSelection()) : "";
    if (selection && el.closest(DOC)) {
      return; // the reader is selecting text, not clicking a mark
    }
    if (el.tagName === "A" && el.hasAttribute("href") && !el.getAttribute("href").startsWith("#")) {
      return; // a link that carries a record still navigates
    }
    if (el.tagName === "A") {
      event.preventDefault();
    }
    selectRecord(el.getAttribute("data-record"), el.closest(DOC) ? "text" : "list");
  }

  function onKey(event) {
    if (event.key !== "Enter" && event.key !== " ") {
      return;
    }
    var el = recordTarget(event);
    if (el && el === event.target && el.tagName !== "A" && el.tagName !== "BUTTON") {
      event.preventDefault();
      selectRecord(el.getAttribute("data-record"), el.closest(DOC) ? "text" : "list");
    }
  }

  document.addEventListener("click", onClick);
  document.addEventListener("keydown", onKey);
  window.addEventListener("hashchange", fromLocation);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fromLocation);
  } else {
    fromLocation();
  }

  window.newsgraphMarkup = { selectRecord: selectRecord, selectSentence: selectSentence, clear: clearSelection };
})();
