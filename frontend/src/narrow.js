// Whether the screen is phone-sized (the menu goes into a drawer, descriptions into one column).
import { ref } from "vue";

export const narrow = ref(window.innerWidth < 768);
window.addEventListener("resize", () => (narrow.value = window.innerWidth < 768));
