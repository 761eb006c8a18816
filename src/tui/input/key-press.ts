/**
 * One key the user pressed, as the parser reports it. `name` is a character (`a`, `A`, `?`,
 * `é`) or a named key (`return`, `f10`, `up`, `paste`, `unknown`); an uppercase letter is named
 * `A` with `shift` false, because that is how the keymap writes it (`R` for shift+r).
 */
export type KeyPress = {
  name: string;
  ctrl: boolean;
  shift: boolean;
  meta: boolean;
  /** The raw characters that made this key. */
  sequence: string;
  /** What the key would type: the character, `" "` for space, the pasted text for `paste`. */
  text?: string;
};

export type Modifiers = Pick<KeyPress, "ctrl" | "shift" | "meta">;

export const NO_MODIFIERS: Modifiers = { ctrl: false, shift: false, meta: false };

export function keyPress(
  name: string,
  sequence: string,
  modifiers: Partial<Modifiers> = {},
  text?: string,
): KeyPress {
  const press: KeyPress = { name, ...NO_MODIFIERS, ...modifiers, sequence };
  if (text !== undefined) press.text = text;
  return press;
}
