/** Themes and keymaps as checked data, with the user's choice and NO_COLOR applied. */
export {
  COMMANDS,
  CONTEXTS,
  type Command,
  type Context,
  type Keymap,
  KeymapSchema,
  keymapProblems,
  keysIn,
  TYPING_CONTEXTS,
} from "./keymap.js";
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
