// The search box: shows the events whose name, family, purpose or field
// names contain every word typed, and the families and links that lead to them.
const input = document.getElementById("search");
const events = Array.from(document.querySelectorAll("article[data-event]"));
const families = Array.from(document.querySelectorAll("section[data-family]"));
const links = Array.from(document.querySelectorAll("nav [data-target]"));
input.addEventListener("input", () => {
  const words = input.value.toLowerCase().split(/\s+/).filter((word) => word.length > 0);
  const shown = new Set();
  for (const event of events) {
    const visible = words.every((word) => event.dataset.search.includes(word));
    event.hidden = !visible;
    if (visible) shown.add(event.id);
  }
  for (const family of families) {
    family.hidden = !Array.from(family.querySelectorAll("article[data-event]")).some((event) => !event.hidden);
  }
  for (const link of links) {
    link.hidden = !shown.has(link.dataset.target);
  }
});
