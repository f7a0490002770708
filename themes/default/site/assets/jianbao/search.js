/*
 * jianbao 站内检索: the search box in the header (jianbao/search-box.html), on Pagefind's JS API.
 *
 * The index (pagefind/, written by generator/search/) holds one record per news item, its
 * text with a space after every Chinese character: one Pagefind "word" per character (shown
 * without those spaces, `readable`).
 * A query is cut the same way into segments: "达州市 案卷" -> "达 州 市", "案 卷" (words are
 * separated by spaces; punctuation splits a word too), and each segment is searched as an
 * exact phrase: an item is a hit when it has every segment's characters in a row. Pagefind
 * gives exact phrases no ranking, so the hits come newest first; when that search was quick,
 * an ordinary search for all the characters (slower: it scores every position, the headline
 * counting more) then puts them in order of relevance. A record's URL (2021/06/item-3.html)
 * names the item's place on its issue page (2021/06/#item-3).
 *
 * The index is one Pagefind bundle per year (pagefind/2021/ …; in the newest year, its latest
 * quarter and the quarters before it: pagefind/2022-q3/, pagefind/2022-q1-q2/), listed newest
 * first in pagefind/shards.json. The newest bundle's pagefind.js is loaded and the other bundles
 * are merged into it, twice: once for relevance, and once for the date order. Pagefind sorts merged results by score, and a sort scores each
 * result by its place in its own bundle's date order, so the bundles would interleave: the
 * dated searcher weights each bundle's scores by a power of shards.json's weight_base (larger
 * than any place), one power more per bundle, newest highest. (Place 0 would stay 0 in every
 * bundle: each bundle's first page is a sort anchor that is never a hit,
 * themes/default/site/jianbao/search-sort-anchor.html.) Oldest first is that list reversed.
 *
 * Everything is loaded from this site: pagefind/…/pagefind.js, its worker and its index files.
 * A classic script (not a module), so that it runs from file:// too and can say there that the
 * archive needs a web server: the search does, and so do the links (they name folders, which
 * file:// shows as listings).
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-jb-search]");
  var script = document.currentScript;
  if (!box || !script) {
    return;
  }

  var MESSAGES = {
    file: "网页档案要通过网页服务器访问：直接打开文件时检索不可用，页面之间的链接也打不开。请运行 jianbao serve，或把 site/ 放到内网服务器上。",
    unavailable: "检索暂不可用：没有找到检索索引（pagefind/）。请用 jianbao build 重新生成网页。",
    loading: "正在检索…",
    empty: "请输入要检索的字词、地名或短语，或选择筛选条件。",
  };
  var PAGE_SIZE = 10;
  /* Searches after the exact ones run only when those were this quick (ms): the ordinary search
     that ranks the hits costs several times an exact one (on a decade of issues, seconds for
     the commonest characters), and so does a search for every character of the query alone. */
  var QUICK = { rank: 150, approximate: 400 };
  var EXCERPT = 76; /* characters of body text around the first match */
  var ECHO = 30; /* characters of the query quoted in the status line (the box takes 100) */
  /* One search "word": a run of Latin letters and digits, or any other single character; the
     same expression as _TOKEN in generator/search/records.py. */
  var TOKEN = /[0-9A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]+|\S/gu;
  var SEPARATOR = /[^\p{L}\p{N}\p{M}]+/u;
  /* A space of the indexed text next to anything but a Latin letter or digit: put there
     between the search words (generator/search/records.py `tokens`), never shown. */
  var WORD_SPACE =
    / (?=[^0-9A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F ])|(?<=[^0-9A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F ]) /gu;
  var RECORD_URL = /^\/?(.*\/)(item-\d+)\.html$/;

  var siteRoot = new URL("../../", script.src); /* assets/jianbao/search.js -> the site's root */
  var form = box.querySelector(".jb-search__form");
  var input = box.querySelector(".jb-search__input");
  var panel = box.querySelector(".jb-search__panel");
  var status = box.querySelector(".jb-search__status");
  var list = box.querySelector(".jb-search__results");
  var more = box.querySelector(".jb-search__more");
  var filters = Array.prototype.slice.call(box.querySelectorAll("[data-jb-filter]"));
  var sort = box.querySelector("[data-jb-sort]");

  var pagefind = null; /* a promise of the searchers (loadPagefind) */
  var generation = 0; /* the latest search; older ones drop their results */
  var timer = 0; /* a search to come (schedule), 0 when none */
  var latest = Promise.resolve(); /* the latest search, settled once its results are shown */
  var hits = []; /* the current results, not yet all loaded */
  var shown = 0;
  var current = { segments: [] };
  var composing = false; /* an input method is composing in the box */

  box.hidden = false;

  /* A promise of the two searchers: { dated: newest first, ranked: by relevance }. */
  function loadPagefind() {
    if (location.protocol === "file:") {
      return Promise.reject(new Error("file"));
    }
    if (!pagefind) {
      pagefind = fetch(new URL("pagefind/shards.json", siteRoot).href)
        .then(function (response) {
          if (!response.ok) {
            throw new Error("no index");
          }
          return response.json();
        })
        .then(function (manifest) {
          var bundles = manifest.bundles.map(function (name) {
            return new URL("pagefind/" + name + "/", siteRoot).pathname;
          });
          var byDate = bundles.map(function (bundle, newer) {
            return Math.pow(manifest.weight_base, bundles.length - 1 - newer);
          });
          var even = bundles.map(function () {
            return 1;
          });
          return import(new URL(bundles[0] + "pagefind.js", siteRoot).href).then(function (module) {
            return Promise.all([searcher(module, bundles, byDate), searcher(module, bundles, even)]);
          });
        })
        .then(function (both) {
          return { dated: both[0], ranked: both[1] };
        });
      pagefind.catch(function () {
        pagefind = null; /* try again on the next search */
      });
    }
    return pagefind;
  }

  /* The newest bundle with the others merged in, each bundle's scores times its weight. */
  function searcher(module, bundles, weights) {
    var instance = module.createInstance({ basePath: bundles[0] });
    return instance.options({ baseUrl: "/", indexWeight: weights[0] }).then(function () {
      return Promise.all(
        bundles.slice(1).map(function (bundle, older) {
          return instance.mergeIndex(bundle, { baseUrl: "/", indexWeight: weights[older + 1] });
        })
      ).then(function () {
        return instance;
      });
    });
  }

  /* Results newest first ("desc") or oldest first ("asc"), with the filters chosen. */
  function dated(searchers, term, chosen, direction) {
    return searchers.dated.search(term, { filters: chosen, sort: { date: "desc" } }).then(function (answer) {
      if (direction === "asc") {
        answer.results = answer.results.slice().reverse();
      }
      return answer;
    });
  }

  /* "达州市 案卷" -> ["达 州 市", "案 卷"]; "执法“寻租”" -> ["执 法", "寻 租"]. */
  function segmentsOf(query) {
    var segments = [];
    query.split(/\s+/).forEach(function (word) {
      word.split(SEPARATOR).forEach(function (piece) {
        var tokens = piece.match(TOKEN);
        if (tokens) {
          var segment = tokens.join(" ");
          if (segments.indexOf(segment) < 0) {
            segments.push(segment);
          }
        }
      });
    });
    return segments;
  }

  function chosenFilters() {
    var chosen = {};
    filters.forEach(function (select) {
      if (select.value) {
        chosen[select.getAttribute("data-jb-filter")] = select.value;
      }
    });
    return chosen;
  }

  function open() {
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function say(text, kind) {
    status.textContent = text;
    status.className = "jb-search__status" + (kind ? " jb-search__status--" + kind : "");
  }

  function clearResults() {
    hits = [];
    shown = 0;
    list.textContent = "";
    more.hidden = true;
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(searchNow, delay);
  }

  function searchNow() {
    clearTimeout(timer);
    timer = 0;
    latest = Promise.resolve(run());
    return latest;
  }

  function run() {
    var query = input.value.trim();
    var segments = segmentsOf(query);
    var chosen = chosenFilters();
    var hasFilters = Object.keys(chosen).length > 0;
    var mine = ++generation;
    open();
    if (location.protocol === "file:") {
      clearResults();
      say(MESSAGES.file, "warning");
      return finished(mine);
    }
    if (!segments.length && !hasFilters) {
      clearResults();
      say(query ? MESSAGES.empty : "", "");
      return finished(mine);
    }
    say(MESSAGES.loading, "");
    var relevance = !sort.value && segments.length > 0;
    var direction = sort.value || "desc";
    var searchers = null;
    var spent = 0; /* ms spent searching so far (Pagefind's timings), not loading the index */
    var approximate = false;
    var ranked = false;

    /* The hits that have every one of `phrases` (null: all items), with the filters chosen,
       newest or oldest first. */
    function exactly(phrases) {
      return Promise.all(
        phrases.map(function (phrase) {
          return dated(searchers, phrase === null ? null : '"' + phrase + '"', chosen, direction);
        })
      ).then(function (answers) {
        answers.forEach(function (answer) {
          (answer.timings || []).forEach(function (timing) {
            spent += timing && typeof timing.search === "number" ? timing.search : 0;
          });
        });
        return intersect(answers);
      });
    }

    return loadPagefind()
      .then(function (loaded) {
        searchers = loaded;
        return exactly(segments.length ? segments : [null]);
      })
      .then(function (found) {
        if (mine !== generation || found.length || !segments.length || spent > QUICK.approximate) {
          return found;
        }
        /* No item has the words as written: the items that have all their characters, in any
           order (punctuation breaks a phrase in the index: "执法寻租" is not in "执法“寻租”"). */
        var characters = [];
        segments.forEach(function (segment) {
          segment.split(" ").forEach(function (character) {
            if (characters.indexOf(character) < 0) {
              characters.push(character);
            }
          });
        });
        return exactly(characters).then(function (wider) {
          approximate = wider.length > 0;
          return wider;
        });
      })
      .then(function (found) {
        if (mine !== generation || !relevance || found.length < 2 || spent > QUICK.rank) {
          return found;
        }
        /* Quick enough for the ordinary search, which scores every position (the headline
           counting more): it puts the hits in order of relevance. It is never the judge of what
           matches: a character missing from a year's index is left out of that year's search. */
        return searchers.ranked.search(segments.join(" "), { filters: chosen }).then(function (answer) {
          var last = answer.results.length;
          var order = new Map(
            answer.results.map(function (result, place) {
              return [result.id, place];
            })
          );
          function place(result) {
            return order.has(result.id) ? order.get(result.id) : last;
          }
          ranked = true;
          return found.slice().sort(function (a, b) {
            return place(a) - place(b);
          });
        });
      })
      .then(function (found) {
        if (mine !== generation) {
          return;
        }
        clearResults();
        current = { segments: segments, approximate: approximate };
        hits = found;
        var filtered = hasFilters ? "（已筛选）" : "";
        var order = relevance && !ranked && found.length > 1 ? "，最新的在前" : "";
        if (approximate) {
          say("没有找到与“" + quoted(query) + "”完全一致的信息；以下 " + found.length + " 条信息含有这些字" + filtered + "：", "approximate");
        } else if (!found.length) {
          var what = query ? "没有找到包含“" + quoted(query) + "”的信息" : "没有符合筛选条件的信息";
          say(what + (hasFilters ? "。可以放宽筛选条件再试。" : "。可以换个说法再试。"), "none");
          return;
        } else {
          say("找到 " + found.length + " 条信息" + filtered + order, "found");
        }
        return showMore(mine);
      })
      .catch(function (error) {
        if (mine === generation) {
          clearResults();
          say(error && error.message === "file" ? MESSAGES.file : MESSAGES.unavailable, "warning");
        }
      })
      .then(function () {
        finished(mine);
      });
  }

  /* The query as the status line quotes it: on one line, its first ECHO characters. */
  function quoted(query) {
    var characters = Array.from(query.replace(/\s+/g, " "));
    return characters.length > ECHO ? characters.slice(0, ECHO).join("") + "…" : characters.join("");
  }

  /* The results of the first search that are in all the others, in the first one's order. */
  function intersect(answers) {
    var found = answers[0].results;
    answers.slice(1).forEach(function (answer) {
      var ids = new Set(
        answer.results.map(function (result) {
          return result.id;
        })
      );
      found = found.filter(function (result) {
        return ids.has(result.id);
      });
    });
    return found;
  }

  /* Marks the box once the latest search is shown (tests wait for it). */
  function finished(mine) {
    if (mine === generation) {
      box.setAttribute("data-jb-searched", String(mine));
    }
  }

  function showMore(mine) {
    var batch = hits.slice(shown, shown + PAGE_SIZE);
    shown += batch.length;
    more.hidden = true;
    return Promise.all(
      batch.map(function (hit) {
        return hit.data();
      })
    ).then(function (records) {
      if (mine !== generation) {
        return;
      }
      records.forEach(function (record) {
        list.appendChild(renderHit(record));
      });
      more.hidden = shown >= hits.length;
    });
  }

  function first(values) {
    return values && values.length ? values[0] : "";
  }

  function itemUrl(record) {
    var path = (record.raw_url || record.url || "").replace(/^\/+/, "");
    var match = RECORD_URL.exec("/" + decodeURI(path));
    return new URL(match ? match[1] + "#" + match[2] : path, siteRoot).href;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function renderHit(record) {
    var f = record.filters || {};
    var item = element("li", "jb-hit");
    var link = element("a", "jb-hit__link");
    link.href = itemUrl(record);
    var title = element("span", "jb-hit__title");
    appendMarked(title, (record.meta && record.meta.title) || "", needles());
    link.appendChild(title);
    var meta = element("span", "jb-hit__meta");
    meta.appendChild(element("span", "jb-hit__issue", first(f.issue)));
    meta.appendChild(element("span", "jb-hit__date", first(f.date)));
    if (first(f.section)) {
      meta.appendChild(element("span", "jb-hit__section", first(f.section)));
    }
    if (first(f.region)) {
      meta.appendChild(element("span", "jb-hit__region", first(f.region)));
    }
    (f.tag || []).forEach(function (tag) {
      meta.appendChild(element("span", "jb-hit__tag", tag));
    });
    link.appendChild(meta);
    link.appendChild(renderExcerpt(record));
    item.appendChild(link);
    return item;
  }

  /* The body's text around the first match, every query segment marked (nodes, never HTML).
     The record's text starts with the headline, region, tags, source, 期号, kind of issue and
     section (search-record.html): they are shown above, or are there to be found by, so they
     are left out here. */
  function renderExcerpt(record) {
    var f = record.filters || {};
    var body = readable(record.content || "");
    var lead = [(record.meta && record.meta.title) || ""].concat(
      f.region || [],
      f.tag || [],
      f.source || [],
      f.issue || [],
      f.kind || [],
      f.section || []
    );
    for (var i = 0; i < lead.length; i++) {
      var piece = readable(lead[i].split(/\s+/).join(" "));
      if (body.indexOf(piece) !== 0) {
        break;
      }
      body = body.slice(piece.length).replace(/^\s+/, "");
    }
    var marked = needles();
    var lower = body.toLowerCase();
    var hit = -1;
    marked.some(function (needle) {
      hit = lower.indexOf(needle);
      return hit >= 0;
    });
    var start = hit > EXCERPT / 3 ? hit - Math.floor(EXCERPT / 4) : 0;
    var end = Math.min(body.length, start + EXCERPT);
    start = Math.max(0, Math.min(start, end - EXCERPT));
    var excerpt = element("span", "jb-hit__excerpt");
    if (start > 0) {
      excerpt.appendChild(document.createTextNode("…"));
    }
    appendMarked(excerpt, body.slice(start, end), marked);
    if (end < body.length) {
      excerpt.appendChild(document.createTextNode("…"));
    }
    return excerpt;
  }

  /* What to mark for the current query: each segment's text, or for an approximate match
     (some characters of a long segment missing) each pair of its characters. */
  function needles() {
    var found = [];
    current.segments.forEach(function (segment) {
      var tokens = segment.toLowerCase().split(" ");
      if (!current.approximate || tokens.length < 3) {
        found.push(tokens.join(""));
      } else {
        for (var t = 0; t + 1 < tokens.length; t++) {
          found.push(tokens[t] + tokens[t + 1]);
        }
      }
    });
    return found.filter(Boolean);
  }

  /* `text` appended to `node` with every occurrence of a needle in a <mark> (nodes, never HTML). */
  function appendMarked(node, text, marked) {
    var lower = text.toLowerCase();
    var marks = [];
    marked.forEach(function (needle) {
      for (var at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
        marks.push([at, at + needle.length]);
      }
    });
    marks.sort(function (a, b) {
      return a[0] - b[0];
    });
    var position = 0;
    marks.forEach(function (mark) {
      if (mark[1] <= position) {
        return;
      }
      var from = Math.max(mark[0], position);
      node.appendChild(document.createTextNode(text.slice(position, from)));
      node.appendChild(element("mark", "", text.slice(from, mark[1])));
      position = mark[1];
    });
    node.appendChild(document.createTextNode(text.slice(position)));
  }

  /* The indexed text as it reads: "执 法 “ 寻 租 ” G318 线" -> "执法“寻租”G318线". */
  function readable(text) {
    return text.replace(WORD_SPACE, "");
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".jb-hit__link"));
  }

  /* ------------------------------------------------------------ events */

  function reopen() {
    if (location.protocol === "file:") {
      open();
      say(MESSAGES.file, "warning");
    } else {
      loadPagefind().catch(function () {}); /* warm up while the query is typed */
      open(); /* the filters are there to browse by, even before anything is typed */
    }
  }

  input.addEventListener("focus", reopen);
  input.addEventListener("click", reopen); /* after Esc the box keeps the focus: a click brings the results back */

  /* Tab out of the box closes the panel (a click outside does, below); focus that goes nowhere
     (a click on the panel's text) leaves it open. */
  box.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !box.contains(event.relatedTarget)) {
      close();
    }
  });

  /* A hit on the page already open only scrolls to its item: the panel must not stay over it. */
  list.addEventListener("click", function (event) {
    if (event.target.closest(".jb-hit__link")) {
      close();
    }
  });

  /* While an input method composes (pinyin being typed), the text is not the query yet: search
     once the characters are chosen. Chromium sends its last input event before compositionend,
     other browsers after it; `composing` covers browsers that do not set event.isComposing. */
  input.addEventListener("compositionstart", function () {
    composing = true;
    clearTimeout(timer);
  });

  input.addEventListener("compositionend", function () {
    composing = false;
    schedule(input.value.trim() ? 180 : 0);
  });

  input.addEventListener("input", function (event) {
    if (!composing && !event.isComposing) {
      schedule(input.value.trim() ? 180 : 0);
    }
  });

  filters.concat([sort]).forEach(function (select) {
    select.addEventListener("change", function () {
      schedule(0);
    });
  });

  more.addEventListener("click", function () {
    var next = shown;
    showMore(generation).then(function () {
      var added = links()[next];
      if (added) {
        added.focus();
      }
    });
  });

  /* Enter opens the first hit of the query in the box: a search still to come runs first, one
     running is waited for, and a query without hits opens nothing. */
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (composing) {
      return;
    }
    var waited = timer ? searchNow() : latest;
    var mine = generation;
    waited.then(function () {
      var found = links();
      if (mine === generation && !timer && found.length) {
        close();
        location.href = found[0].href;
      }
    });
  });

  box.addEventListener("keydown", function (event) {
    var found = links();
    var at = found.indexOf(document.activeElement);
    if (event.key === "Escape") {
      if (!panel.hidden) {
        close();
        input.focus();
      } else if (input.value) {
        input.value = "";
        generation++; /* forget any search still running */
        clearResults();
        say("", "");
      }
      event.preventDefault();
    } else if (event.key === "ArrowDown" && (document.activeElement === input || at >= 0)) {
      if (found.length) {
        open();
        found[Math.min(at + 1, found.length - 1)].focus();
        event.preventDefault();
      }
    } else if (event.key === "ArrowUp" && at >= 0) {
      (at > 0 ? found[at - 1] : input).focus();
      event.preventDefault();
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable);
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });

  document.addEventListener("click", function (event) {
    if (!box.contains(event.target)) {
      close();
    }
  });
})();
