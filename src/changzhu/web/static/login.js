"use strict";
CZ.ready(() => {
  document.getElementById("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const result = await CZ.api("/auth/login", {
        method: "POST",
        body: {username: document.getElementById("username").value, password: document.getElementById("password").value},
      });
      sessionStorage.setItem("cz.token", result.access_token);
      location.href = CZ.homeFor(result.role);
    } catch (error) {
      CZ.showError(error);
    }
  });
});
