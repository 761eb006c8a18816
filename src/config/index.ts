/** Themes and keymaps as checked data, with the user's choice and NO_COLOR applied. */
export { COMMANDS, type Command, type Keymap, KeymapSchema, keymapProblems } from "./keymap.js";
export {
  bundled,
  ConfigError,
  loadKeymap,
  loadTheme,
  loadUserKeymap,
  themeName,
  userConfigDir,
} from "./load.js";
export { NODE_STATES, type Theme, ThemeSchema } from "./theme.js";
