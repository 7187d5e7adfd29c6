// The filter form of a list page: its fields as the query string of an API call, kept in the page's URL.
export function filters(form, load) {
  for (const [k, v] of new URLSearchParams(location.search)) if (form.elements[k]) form.elements[k].value = v;
  const query = () => {
    const q = new URLSearchParams();
    for (const f of form.elements) if (f.name && f.value) q.set(f.name, f.value);
    return q.toString();
  };
  form.addEventListener('submit', e => {
    e.preventDefault();
    history.replaceState(null, '', '?' + query());
    load(query());
  });
  load(query());
}
