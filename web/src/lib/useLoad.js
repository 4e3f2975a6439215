// Loading / error / data of one API read, with reload(). Every page section uses it.
import { ref, onMounted } from 'vue';

export function useLoad(fn, { immediate = true, initial = null } = {}) {
  const data = ref(initial);
  const error = ref(null);
  const loading = ref(false);
  let seq = 0;
  async function reload({ quiet = false } = {}) {
    const my = ++seq;
    if (!quiet) loading.value = true;
    try {
      const d = await fn();
      if (my === seq) { data.value = d; error.value = null; }
    } catch (e) {
      if (my === seq && !quiet) error.value = e;
    } finally {
      if (my === seq) loading.value = false;
    }
  }
  if (immediate) onMounted(reload);
  return { data, error, loading, reload };
}
