// The rule inputs of a place (GET /inputs), loaded the first time a dialog opens: the fact fields of the register
// and facts dialogs. `open` and `region` are getters; a null region asks for every place's inputs.
import { ref, watch } from "vue";
import { api } from "./api.js";

export function useInputs(open, region, { immediate = false } = {}) {
  const specs = ref(null);
  const failure = ref(null);
  watch(
    open,
    async (isOpen) => {
      if (!isOpen || specs.value) return;
      failure.value = null;
      try {
        const where = region();
        specs.value = await api.get("/inputs", where ? { region: where } : {});
      } catch (error) {
        failure.value = error;
      }
    },
    { immediate },
  );
  return { specs, failure };
}
