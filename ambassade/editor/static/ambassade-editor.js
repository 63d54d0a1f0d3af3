/* ambassade's side of the editor (Decap CMS): files written as a git user writes them.
 *
 * Loaded before decap-cms.js, it holds the CMS until the forms are ready, then
 * registers two formats and starts it:
 * - "ambassade-profile": experts/<slug>.yml filled into the very template
 *   `invoke new-expert` writes (its comments kept, wrapped as Python's textwrap
 *   wraps them, the fields uncommented where the person filled them);
 * - "ambassade-article": Pelican's "Key: value" header, in the order
 *   `invoke new-article` writes it, a blank line, the Markdown text.
 * The template and the header's keys come from ambassade.json, made by the
 * build from the scaffolds (ambassade/editor/config.py): nothing is copied here.
 */
window.CMS_MANUAL_INIT = true;

(function () {
  "use strict";

  // --- textwrap.wrap of CPython 3.11, with its defaults (break_on_hyphens, drop_whitespace) ---
  var WS = "\\t\\n\\x0b\\x0c\\r ";
  var LETTER = "[\\p{L}\\p{Nl}\\p{No}_]"; // [^\d\W]
  var WORD = "[\\p{L}\\p{N}_]"; // \w
  var PUNCT = "[\\p{L}\\p{N}_!\"'&.,?]";
  var WORDSEP = new RegExp(
    "([" + WS + "]+" +
      "|(?<=" + PUNCT + ")-{2,}(?=" + WORD + ")" +
      "|[^" + WS + "]+?(?:" +
      "-(?:(?<=" + LETTER + "{2}-)|(?<=" + LETTER + "-" + LETTER + "-))(?=" + LETTER + "-?" + LETTER + ")" +
      "|(?=[" + WS + "]|$)" +
      "|(?<=" + PUNCT + ")(?=-{2,}" + WORD + ")" +
      "))",
    "u"
  );

  function wrap(text, width, indent) {
    var chunks = text.replace(/[\t\n\x0b\x0c\r]/g, " ").split(WORDSEP).filter(function (c) {
      return c;
    });
    var lines = [];
    chunks.reverse();
    var size = function (s) {
      return Array.from(s).length;
    };
    while (chunks.length) {
      var line = [];
      var length = 0;
      var room = width - indent.length;
      if (chunks[chunks.length - 1].trim() === "" && lines.length) chunks.pop();
      while (chunks.length) {
        var n = size(chunks[chunks.length - 1]);
        if (length + n <= room) {
          line.push(chunks.pop());
          length += n;
        } else break;
      }
      if (chunks.length && size(chunks[chunks.length - 1]) > room) {
        var left = Math.max(room - length, 1);
        var chunk = Array.from(chunks[chunks.length - 1]);
        var end = left;
        if (chunk.length > left) {
          var hyphen = chunk.slice(0, left).lastIndexOf("-");
          if (hyphen > 0 && chunk.slice(0, hyphen).some(function (c) { return c !== "-"; })) end = hyphen + 1;
        }
        line.push(chunk.slice(0, end).join(""));
        chunks[chunks.length - 1] = chunk.slice(end).join("");
      }
      if (line.length && line[line.length - 1].trim() === "") line.pop();
      if (line.length) lines.push(indent + line.join(""));
    }
    return lines;
  }

  // --- YAML as the scaffold's examples write it ---
  var RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

  function scalar(value, flow) {
    if (typeof value === "boolean" || typeof value === "number") return String(value);
    var text = String(value);
    var plain =
      text !== "" &&
      text === text.trim() &&
      !RESERVED.test(text) &&
      !/^[-?:,\[\]{}#&*!|>'"%@`0-9.+]/.test(text) &&
      !/: |:$| #|\n/.test(text) &&
      !(flow && /[,\[\]{}]/.test(text));
    if (/^\d{4}-\d{2}-\d{2}([T ][\d:]+)?$/.test(text)) plain = true; // dates, as the examples write them
    return plain ? text : JSON.stringify(text);
  }

  // Decap gives every boolean a value: false is what a field left out means, so it is left out
  // (the scaffold's own "published: false" lines stay as they are).
  function isEmpty(value) {
    if (value === null || value === undefined || value === "" || value === false) return true;
    if (Array.isArray(value)) return value.length === 0;
    if (typeof value === "object") return Object.keys(value).length === 0;
    return false;
  }

  function pruned(value) {
    if (Array.isArray(value)) {
      return value.map(pruned).filter(function (v) { return !isEmpty(v); });
    }
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (k) {
        var v = pruned(value[k]);
        if (!isEmpty(v)) out[k] = v;
      });
      return out;
    }
    return typeof value === "string" ? value.replace(/\r\n/g, "\n") : value;
  }

  function block(key, value, pad) {
    if (Array.isArray(value)) {
      if (value.every(function (v) { return typeof v !== "object"; })) {
        return [pad + key + ": [" + value.map(function (v) { return scalar(v, true); }).join(", ") + "]"];
      }
      var lines = [pad + key + ":"];
      value.forEach(function (item) {
        var inner = [];
        Object.keys(item).forEach(function (k) {
          inner = inner.concat(block(k, item[k], pad + "    "));
        });
        inner[0] = pad + "  - " + inner[0].slice(pad.length + 4);
        lines = lines.concat(inner);
      });
      return lines;
    }
    if (value && typeof value === "object") {
      var nested = [pad + key + ":"];
      Object.keys(value).forEach(function (k) {
        nested = nested.concat(block(k, value[k], pad + "  "));
      });
      return nested;
    }
    if (typeof value === "string" && value.indexOf("\n") >= 0) {
      return [pad + key + ": |-"].concat(
        value.split("\n").map(function (l) { return l ? pad + "  " + l : ""; })
      );
    }
    return [pad + key + ": " + scalar(value, false)];
  }

  function slugOf(name) {
    return name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
  }

  function profileToFile(data, form) {
    data = pruned(data);
    var name = String(data.name || "");
    var template = form.template
      .split(JSON.stringify(form.name)).join(JSON.stringify(name))
      .split(form.name).join(name)
      .split(form.slug).join(slugOf(name));
    var lines = template.replace(/\n$/, "").split("\n");
    var out = [];
    var done = {};
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      var active = /^([a-z_]+):/.exec(line);
      var commented = /^# ([a-z_]+):/.exec(line);
      if (line.indexOf(form.raw_comment) === 0) {
        out = out.concat(wrap(line.slice(form.raw_comment.length), form.width, "# "));
      } else if (active && active[1] in data) {
        var key = active[1];
        done[key] = true;
        var quoted = /^[a-z_]+: "/.test(line); // the scaffold quotes it: so does a person replacing it
        out.push(quoted ? key + ": " + JSON.stringify(String(data[key])) : block(key, data[key], "").join("\n"));
      } else if (commented && commented[1] in data) {
        done[commented[1]] = true;
        while (i + 1 < lines.length && /^# {3}/.test(lines[i + 1])) i++; // the example's other lines
        out = out.concat(block(commented[1], data[commented[1]], ""));
      } else {
        out.push(line);
      }
    }
    Object.keys(data).forEach(function (key) {
      if (!done[key]) out = out.concat(block(key, data[key], ""));
    });
    return out.join("\n") + "\n";
  }

  function profileFromFile(text) {
    return window.jsyaml.load(text, { schema: window.jsyaml.CORE_SCHEMA }) || {};
  }

  function articleFromFile(text, form) {
    var data = {};
    var lines = text.replace(/\r\n/g, "\n").split("\n");
    var i = 0;
    var byLabel = {};
    form.share.forEach(function (k) { byLabel[form.labels[k].toLowerCase()] = k; });
    for (; i < lines.length && lines[i].trim() !== ""; i++) {
      var m = /^([A-Za-z][\w-]*):\s?(.*)$/.exec(lines[i]);
      if (!m) continue;
      var key = m[1].toLowerCase();
      if (key in byLabel) {
        (data[byLabel[key]] = data[byLabel[key]] || []).push(m[2]);
      } else if (key === "authors" || key === "tags") {
        data[key] = m[2].split(",").map(function (s) { return s.trim(); }).filter(Boolean);
      } else {
        data[key] = m[2];
      }
    }
    if (!data.status) data.status = "published";
    data.body = lines.slice(i + 1).join("\n");
    return data;
  }

  function articleToFile(data, form) {
    var lines = [];
    form.keys.forEach(function (key) {
      var value = data[key];
      if (key === "status" && value !== "draft") return; // no Status line: the article is ready
      if (Array.isArray(value)) value = value.join(", ");
      if (value === undefined || value === null || value === "") return;
      lines.push(key.charAt(0).toUpperCase() + key.slice(1) + ": " + String(value).replace(/\s*\n\s*/g, " ").trim());
    });
    form.share.forEach(function (key) {
      (data[key] || []).forEach(function (text) {
        if (text && text.trim()) lines.push(form.labels[key] + ": " + text.replace(/\s*\n\s*/g, " ").trim());
      });
    });
    var body = String(data.body || "").replace(/\r\n/g, "\n").replace(/\s+$/, "");
    return lines.join("\n") + "\n\n" + (body ? body + "\n" : "");
  }

  // An image without a description is refused, as `check` refuses it.
  var NO_ALT = /!\[\s*\]\(/;

  function start(form) {
    var CMS = window.CMS;
    CMS.registerCustomFormat("ambassade-profile", "yml", {
      fromFile: profileFromFile,
      toFile: function (data) { return profileToFile(data, form.profile); },
    });
    CMS.registerCustomFormat("ambassade-article", "md", {
      fromFile: function (text) { return articleFromFile(text, form.article); },
      toFile: function (data) { return articleToFile(data, form.article); },
    });
    CMS.registerEventListener({
      name: "preSave",
      handler: function (event) {
        var body = event.entry.get("data").get("body");
        if (typeof body === "string" && NO_ALT.test(body)) {
          throw new Error(form.messages.missing_alt);
        }
        return event.entry.get("data");
      },
    });
    CMS.init();
  }

  window.addEventListener("load", function () {
    fetch("ambassade.json")
      .then(function (r) { return r.json(); })
      .then(start);
  });

  window.ambassadeEditor = { wrap: wrap, profileToFile: profileToFile, articleToFile: articleToFile, articleFromFile: articleFromFile };
})();
