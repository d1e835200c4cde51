// A paged list of the API (`{items, total}` for an offset and a limit): the page shown, whether it is loading,
// and why it failed (the list is emptied then, so no stale rows stand beside the error).
import { reactive, ref } from "vue";

/** `fetchPage(offset, limit)` returns one page of the API; `load` reads the current page again, `turn(number)`
 * goes to page `number` (1-based, as el-pagination counts). */
export function usePagedList(fetchPage, limit = 20) {
  const page = reactive({ items: [], total: 0, offset: 0, limit });
  const busy = ref(false);
  const failure = ref(null);

  async function load() {
    busy.value = true;
    failure.value = null;
    try {
      const result = await fetchPage(page.offset, page.limit);
      Object.assign(page, { items: result.items, total: result.total });
    } catch (error) {
      failure.value = error;
      page.items = [];
    } finally {
      busy.value = false;
    }
  }

  function turn(number) {
    page.offset = (number - 1) * page.limit;
    load();
  }

  return { page, busy, failure, load, turn };
}
