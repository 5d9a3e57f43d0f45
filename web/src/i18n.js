// The page's own labels in every language it speaks, declared once. A lesson's text lives in
// lessons/<id>/<lang>.md; these are the words around it. tests/node/i18n.test.mjs fails when a
// key is missing or empty in one language. The language is the reader's choice, remembered in
// localStorage, and on a first visit the browser's (navigator.language).

/** The languages, in the switcher's order, each named in itself. */
export const LANGS = /** @type {const} */ ([
  ["en", "English"],
  ["zh", "中文"],
]);

/** @typedef {"en" | "zh"} Lang */

/** Where the reader's choice is remembered. */
const STORAGE_KEY = "raftlab:lang";

/** Each label, per language. `{n}`-style holes are filled by {@link t}. */
export const STRINGS = {
  en: {
    language: "Language",
    lessons: "Lessons",
    lesson_pick: "Choose a lesson…",
    lesson_close: "Close the lesson",
    back: "◀ Back",
    next: "Next ▶",
    step_of: "Step {n} of {m}",
    step_loading: "Loading the lesson…",
    step_link: "Link to this step",
    link_copied: "Link to this step copied.",
    exercise: "Exercise",
    goal: "Goal",
    rules: "Rules",
    hint: "Show a hint",
    hint_n: "Hint {n}",
    restart_exercise: "Start over",
    not_yet: "not yet",
    met: "met",
    broken: "broken",
    kept: "kept",
    success: "Solved!",
    checking: "Checking…",
    exercise_reasons: "Not yet solved:",
    challenge: "Challenge",
    score: "Score: {n} actions.",
    scenarios: "Scenarios",
    free_play: "Free play",
    sec_logs: "Logs",
    sec_monitors: "Safety monitors",
    sec_clients: "Clients and history",
    sec_spacetime: "Space-time diagram",
    sec_settings: "Settings",
    sec_share: "Share",
  },
  zh: {
    language: "语言",
    lessons: "课程",
    lesson_pick: "选择一课……",
    lesson_close: "关闭这一课",
    back: "◀ 上一步",
    next: "下一步 ▶",
    step_of: "第 {n} 步，共 {m} 步",
    step_loading: "正在加载课程……",
    step_link: "这一步的链接",
    link_copied: "已复制这一步的链接。",
    exercise: "练习",
    goal: "目标",
    rules: "规则",
    hint: "显示提示",
    hint_n: "提示 {n}",
    restart_exercise: "重新开始",
    not_yet: "尚未达成",
    met: "已达成",
    broken: "已违反",
    kept: "已遵守",
    success: "解决了！",
    checking: "正在检查……",
    exercise_reasons: "还没有解决：",
    challenge: "挑战",
    score: "得分：用了 {n} 个操作。",
    scenarios: "场景",
    free_play: "自由模式",
    sec_logs: "日志",
    sec_monitors: "安全性监视器",
    sec_clients: "客户端与历史",
    sec_spacetime: "时空图",
    sec_settings: "设置",
    sec_share: "分享",
  },
};

/** @typedef {keyof typeof STRINGS.en} StringKey */

/**
 * The label `key` in `lang`, holes filled from `vars` (`t("zh", "step_of", { n: 2, m: 5 })`).
 * @param {Lang} lang @param {StringKey} key @param {Record<string, string | number>} [vars]
 */
export function t(lang, key, vars) {
  const s = STRINGS[lang]?.[key] ?? STRINGS.en[key] ?? key;
  return vars ? s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? `{${k}}`)) : s;
}

/** @param {unknown} x @returns {x is Lang} */
export function isLang(x) {
  return LANGS.some(([code]) => code === x);
}

/**
 * The language for a browser language tag (`zh-CN` → zh); English for anything else.
 * @param {string | undefined} tag
 * @returns {Lang}
 */
export function langFromTag(tag) {
  const base = String(tag ?? "")
    .toLowerCase()
    .split("-")[0];
  return isLang(base) ? base : "en";
}

/**
 * The reader's language: the one they chose before, else the browser's.
 * @returns {Lang}
 */
export function initialLang() {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLang(saved)) return saved;
  } catch {
    // Storage may be unavailable (privacy settings): fall back to the browser's language.
  }
  return langFromTag(globalThis.navigator?.language);
}

/** Remembers the reader's choice. @param {Lang} lang */
export function saveLang(lang) {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, still used.
  }
}
