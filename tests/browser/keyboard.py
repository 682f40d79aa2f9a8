"""Driving pages the way a keyboard-only user does: Tab, Shift+Tab, Enter, Space, arrows and
typing. No mouse clicks and no programmatic focus, so a control that cannot be reached by
Tab, or whose focus cannot be seen, stops the journey."""

from __future__ import annotations

# What the focused element looks like, for deciding whether its focus is visible. Radios and
# checkboxes hide the native input and draw the control (and its focus ring) on the label.
FOCUS_STYLE_JS = """(el) => {
    if (!el || el === document.body) return null;
    const pick = (style) => [style.outlineStyle, style.outlineWidth, style.outlineColor,
                             style.boxShadow, style.backgroundColor, style.color,
                             style.textDecorationThickness, style.borderWidth].join('|');
    let styles = [pick(getComputedStyle(el))];
    if (el.matches('.govuk-radios__input, .govuk-checkboxes__input')) {
        const label = el.parentElement.querySelector('label');
        styles.push(pick(getComputedStyle(label, '::before')));
        styles.push(pick(getComputedStyle(label, '::after')));
    }
    return styles.join('||');
}"""

DESCRIBE_JS = """(el) => {
    if (!el || el === document.body) return null;
    const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
    return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '',
            text: (el.textContent || '').trim().replace(/\\s+/g, ' '),
            label: label.trim().replace(/\\s+/g, ' '), id: el.id || '',
            href: el.getAttribute('href') || ''};
}"""


def focused(page) -> dict | None:
    """A description of the element that has focus, or None when nothing has."""
    return page.evaluate(f"({DESCRIBE_JS})(document.activeElement)")


def focus_is_visible(page) -> bool:
    """The focused element looks different from how it looks unfocused.

    Compares its computed style while focused with the style of an identical clone that has
    no focus (so the page's focus stays where the keyboard put it)."""
    return page.evaluate(
        f"""() => {{
            const el = document.activeElement;
            const style = {FOCUS_STYLE_JS};
            const now = style(el);
            if (now === null) return false;
            const control = el.matches('.govuk-radios__input, .govuk-checkboxes__input');
            const holder = control ? el.parentElement : el;
            const copy = holder.cloneNode(true);
            for (const node of [copy, ...copy.querySelectorAll('*')]) {{
                node.removeAttribute('id');
                if (node.name) node.name = node.name + '-unfocused-copy';
            }}
            holder.after(copy);
            const then = style(control ? copy.querySelector('input') : copy);
            copy.remove();
            return now !== then;
        }}"""
    )


def tab_to(page, matches, *, backwards: bool = False, limit: int = 120) -> dict:
    """Press Tab (or Shift+Tab) until the focused element satisfies `matches`, checking on
    the way that every element the keyboard lands on shows its focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        element = focused(page)
        if element is None:
            continue
        assert focus_is_visible(page), f"No visible focus on {element} at {page.url}"
        if matches(element):
            return element
    raise AssertionError(f"Could not reach the element by pressing {key} on {page.url}")


def tab_to_text(page, text: str, **kwargs) -> dict:
    """Tab to a link or button whose visible text is `text` (ignoring visually hidden
    additions such as "Change<span> your name</span>" when the start matches)."""
    return tab_to(page, lambda e: e["text"] == text or e["text"].startswith(text + " "), **kwargs)


def tab_to_field(page, name: str, value: str | None = None, **kwargs) -> dict:
    """Tab to the form control called `name` (a radio: the one whose value is `value`, or
    whichever of its group takes focus when `value` is None)."""

    def matches(e: dict) -> bool:
        return e["name"] == name

    element = tab_to(page, matches, **kwargs)
    if value is not None and element["type"] == "radio":
        choose_radio(page, value)
    return element


def choose_radio(page, value: str) -> None:
    """Arrow keys move between radios of one group (and select them); Space selects."""
    for _ in range(12):
        current = page.evaluate("document.activeElement.value")
        if current == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"No radio with value {value!r} in this group")


def type_into(page, name: str, text: str) -> None:
    """Tab to a text field and type, replacing what it held."""
    tab_to_field(page, name)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def press_button(page, text: str, **kwargs) -> None:
    """Tab to a button or link and press Enter, waiting for the page it leads to."""
    tab_to_text(page, text, **kwargs)
    with page.expect_navigation():
        page.keyboard.press("Enter")


# Marks every element the keyboard should reach with data-kbd="n" and returns their
# descriptions. Radios count once per group (Tab enters a group; arrows move inside it).
MARK_TABBABLE_JS = """() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
                   + '[tabindex]';
    const seenGroups = new Set();
    const marked = [];
    for (const el of document.querySelectorAll(selector)) {
        if (el.disabled || el.tabIndex < 0 || el.closest('[inert]')) continue;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || !el.getClientRects().length) continue;
        if (el.type === 'radio') {
            const group = (el.form ? el.form.id || 'f' : 'doc') + ':' + el.name;
            if (seenGroups.has(group)) continue;
            seenGroups.add(group);
            for (const r of document.querySelectorAll(`input[type=radio][name="${el.name}"]`)) {
                r.dataset.kbd = String(marked.length);
            }
        } else {
            el.dataset.kbd = String(marked.length);
        }
        marked.push((el.textContent || el.name || el.id || el.tagName).trim().slice(0, 60));
    }
    return marked;
}"""


def walk_with_tab(page) -> tuple[list[str], list[str]]:
    """Tab from the top of the page to its end. Returns the elements the keyboard should
    reach but did not, and those it reached without a visible focus indicator."""
    expected = page.evaluate(MARK_TABBABLE_JS)
    reached: set[int] = set()
    invisible: list[str] = []
    previous = None
    # Date and time inputs take several presses (day, month, year), hence the margin.
    for _ in range(3 * len(expected) + 10):
        page.keyboard.press("Tab")
        mark = page.evaluate("document.activeElement.dataset.kbd ?? null")
        if mark is None:
            if page.evaluate("document.activeElement === document.body"):
                break  # past the last element
            continue
        if mark == previous:
            continue  # the next part of the same date or time input
        previous = mark
        if int(mark) in reached:
            break  # round again: focus wrapped
        reached.add(int(mark))
        if not focus_is_visible(page):
            invisible.append(expected[int(mark)])
    unreached = [text for i, text in enumerate(expected) if i not in reached]
    return unreached, invisible
