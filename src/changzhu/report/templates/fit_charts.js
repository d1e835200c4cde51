/* Every chart's words fit its width (sections.figure_html calls changzhuFit on each chart once drawn, and again
   when the window is resized): the title, the axis titles, the legend's entries, the colour bars' titles and the
   notes on a chart are wrapped onto lines (<br>) no wider than the chart leaves them, measured in the chart's font,
   so a 390 px phone reads the whole title (with its unit) that a 1366 px screen reads on one line. A line a writer
   broke on purpose (<br>) stays broken; the top and bottom margins grow by what the wrapped words need. */
window.changzhuFit = (function () {
  const ctx = document.createElement("canvas").getContext("2d");
  const CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef";
  const RUN = new RegExp(`[${CJK}]+|[^\\s${CJK}]+|\\s+`, "g");
  const IS_CJK = new RegExp(`^[${CJK}]`);
  const NO_LINE_START = "，。、；：）》”’」』】！？,.;:)!?%·";
  const NO_LINE_END = "（《“‘「『【(";
  // a phrase ends at a full-width mark (a comma, a colon, a closing bracket, a middle dot) or at a space between
  // words of letters (English): the preferred place to break; else between two words (a space beside a number in
  // Chinese, "2025 年", is between words), else (a word wider than the line) between characters
  const MARK_END = /[，。、；：）》”’」』】！？·]\s*$/;
  const HAN = /[\u2e80-\u9fff]/;
  const phraseBreak = (before, after) =>
    MARK_END.test(before) ||
    NO_LINE_END.includes(after[0]) ||
    (/\s$/.test(before) && !HAN.test(before.trimEnd().slice(-1)) && !HAN.test(after[0]));
  const WORDS = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter("zh", { granularity: "word" }) : null;
  const HALF = 0.5; // a phrase's end is taken when it leaves the line at least half full
  const plain = (s) => s.replace(/<[^>]+>/g, "").replace(/&[a-z]+;/g, "x");
  const measure = (text, font) => {
    ctx.font = `${font.size}px ${font.family}`;
    return ctx.measureText(plain(text)).width;
  };
  /** The line's pieces no break goes inside: a word of Latin letters or digits, a Chinese word (ICU's dictionary,
   * Intl.Segmenter; without it each character), each with the spaces after it; a closing mark stays with the word
   * before it and an opening one with the word after it; a Chinese word wider than `max`, its characters. */
  function pieces(line, max, font) {
    const found = [];
    for (const [run] of line.matchAll(RUN)) {
      if (!IS_CJK.test(run)) found.push(run);
      else if (WORDS) for (const part of WORDS.segment(run)) found.push(part.segment);
      else found.push(...run);
    }
    const out = [];
    let opening = "";
    for (const part of found.flatMap((p) => (IS_CJK.test(p) && measure(p, font) > max ? [...p] : [p]))) {
      if (out.length && !opening && (/^\s/.test(part) || NO_LINE_START.includes(part[0]))) {
        out[out.length - 1] += part;
      } else if ([...part].every((c) => NO_LINE_END.includes(c))) {
        opening += part;
      } else {
        out.push(opening + part);
        opening = "";
      }
    }
    if (opening) out.push(opening);
    return out;
  }
  function wrapLine(line, max, font) {
    const parts = pieces(line, max, font);
    const text = (from, to) => parts.slice(from, to).join("").trim();
    const lines = [];
    for (let start = 0; start < parts.length; ) {
      let end = start + 1;
      while (end < parts.length && measure(text(start, end + 1), font) <= max) end += 1;
      if (end < parts.length) {
        for (let k = end; k > start + 1; k -= 1) {
          if (phraseBreak(parts[k - 1], parts[k]) && measure(text(start, k), font) >= max * HALF) {
            end = k;
            break;
          }
        }
      }
      if (text(start, end)) lines.push(text(start, end));
      start = end;
    }
    return lines;
  }
  function wrap(text, max, font) {
    if (typeof text !== "string" || !text) return text;
    return text
      .split(/<br\s*\/?>/i)
      .flatMap((line) => wrapLine(line.trim(), Math.max(max, 40), font))
      .join("<br>");
  }
  const fontOf = (font, layout) => ({
    size: (font && font.size) || layout.font.size,
    family: (font && font.family) || layout.font.family,
  });
  const bottomOf = (gd, selector) => {
    const svg = gd.querySelector(".main-svg").getBoundingClientRect();
    const found = [...gd.querySelectorAll(selector)].map((e) => e.getBoundingClientRect().bottom - svg.top);
    return found.length ? Math.max(...found) : null;
  };
  const topOf = (gd, selector) => {
    const svg = gd.querySelector(".main-svg").getBoundingClientRect();
    const found = [...gd.querySelectorAll(selector)].map((e) => e.getBoundingClientRect().top - svg.top);
    return found.length ? Math.min(...found) : null;
  };

  async function fit(gd) {
    const layout = gd._fullLayout;
    if (!layout || !window.Plotly) return;
    if (!gd._changzhuWords) {
      // the words as written, before any wrapping: a wider window wraps them afresh
      gd._changzhuWords = {
        title: layout.title.text,
        margin: { t: layout.margin.t, b: layout.margin.b },
        axes: Object.keys(layout)
          .filter((k) => /^[xy]axis\d*$/.test(k) && layout[k].title && layout[k].title.text)
          .map((k) => [k, layout[k].title.text]),
        names: gd.data.map((trace) => trace.name),
        bars: gd.data.map((trace) => trace.marker && trace.marker.colorbar && trace.marker.colorbar.title
          ? trace.marker.colorbar.title.text : undefined),
        notes: (gd.layout.annotations || []).map((a) => a.text),
      };
    }
    const words = gd._changzhuWords;
    const width = layout.width;
    const size = layout._size;
    const relayout = {
      "title.text": wrap(words.title, width * (1 - layout.title.x) - 12, fontOf(layout.title.font, layout)),
      "title.yref": "container",
      "title.y": 1,
      "title.yanchor": "top",
      "title.pad.t": 8,
      "margin.t": words.margin.t,
      "margin.b": words.margin.b,
    };
    // an axis's tick labels and title push the margin they need (a province's name or a title was cut at the edge)
    for (const axis of Object.keys(layout).filter((k) => /^[xy]axis\d*$/.test(k) && layout[k].visible)) {
      relayout[`${axis}.automargin`] = true;
    }
    for (const [axis, text] of words.axes) {
      const along = axis.startsWith("x") ? size.w : size.h;
      relayout[`${axis}.title.text`] = wrap(text, along - 8, fontOf(layout[axis].title.font, layout));
    }
    (gd.layout.annotations || []).forEach((note, i) => {
      const x = note.xref === "paper" ? size.l + (note.x || 0) * size.w : width / 2;
      const room = note.xanchor === "left" ? width - x : note.xanchor === "right" ? x : 2 * Math.min(x, width - x);
      relayout[`annotations[${i}].text`] = wrap(words.notes[i], room - 8, fontOf(note.font, layout));
      if (note.xanchor === "left" || note.xanchor === "right") relayout[`annotations[${i}].align`] = note.xanchor;
    });
    await Plotly.relayout(gd, relayout);
    const legendFont = fontOf(layout.legend && layout.legend.font, layout);
    const names = words.names.map((name) => wrap(name, width * 0.85 - 50, legendFont));
    const bars = gd.data.map((trace, i) => {
      const bar = trace.marker && trace.marker.colorbar;
      if (!bar || words.bars[i] === undefined) return undefined;
      const across = bar.orientation === "h";
      return wrap(words.bars[i], across ? width * 0.85 : Math.max(90, width * 0.22), fontOf(bar.title.font, layout));
    });
    const traces = gd.data.map((_, i) => i);
    await Plotly.restyle(gd, { name: names }, traces);
    const withBars = traces.filter((i) => bars[i] !== undefined);
    if (withBars.length) {
      await Plotly.restyle(gd, { "marker.colorbar.title.text": withBars.map((i) => bars[i]) }, withBars);
    }
    // the title's lines clear what lies under them (the plot, a legend or a colour bar above it); the notes under a
    // map stay inside the chart
    // plotly sets a title of several lines anchored at its top too high (its first line's baseline at the anchor):
    // it is moved down to start 6 px under the chart's top
    const titleTop = topOf(gd, ".gtitle");
    if (titleTop !== null && Math.abs(titleTop - 6) > 1) {
      await Plotly.relayout(gd, { "title.y": 1 - (6 - titleTop) / layout.height });
    }
    const margins = {};
    const titleBottom = bottomOf(gd, ".gtitle");
    const below = Math.min(
      ...[gd._fullLayout._size.t, topOf(gd, ".legend"), topOf(gd, ".colorbar")].filter((v) => v !== null),
    );
    // from the margin as drawn: a legend above the plot had already pushed it past the one asked for
    const drawnTop = gd._fullLayout._size.t;
    if (titleBottom !== null && titleBottom + 6 > below) margins["margin.t"] = drawnTop + titleBottom + 6 - below;
    const notesBottom = bottomOf(gd, ".annotation");
    if (notesBottom !== null && notesBottom > layout.height - 2) {
      margins["margin.b"] = words.margin.b + notesBottom - layout.height + 4;
    }
    if (Object.keys(margins).length) await Plotly.relayout(gd, margins);
    gd.dataset.fitted = String(width);
  }

  let pending = null;
  window.addEventListener("resize", () => {
    clearTimeout(pending);
    pending = setTimeout(() => document.querySelectorAll(".js-plotly-plot").forEach((gd) => fit(gd)), 300);
  });
  return fit;
})();
