/**
 * Keys: raw terminal input parsed into key presses, turned into `Command`s by the keymap, and
 * the footer and help screen written from that same keymap. Screens handle commands, not keys.
 */
export { type Binding, commandLabel, createDispatcher, type Dispatcher } from "./dispatcher.js";
export { filterHelp, type HelpRow, type HelpSection, helpSections } from "./help.js";
export { canonicalKey, keyLabel, keyName } from "./key-name.js";
export { createKeyParser, type KeyParser } from "./key-parser.js";
export { type KeyPress, keyPress } from "./key-press.js";
export { ESCAPE_TIMEOUT_MS, type KeysOptions, useRawKeys } from "./use-keys.js";
