{% load static %}/* The handbook offline: pages of the handbook and the library are kept as they are read
   (network first, the kept copy when there is no network); the feed asks for its recent posts and
   the saved documents to be kept ahead; signing out forgets everything. */
"use strict";
var CACHE = "dangvien-so-tay-v1";
var STATIC = ["{% static 'web/dv.css' %}", "{% static 'web/dv.js' %}", "{% static 'handbook/icon.svg' %}"];
var OFFLINE = "<!doctype html><meta charset='utf-8'><meta name='viewport' content='width=device-width'>" +
  "<title>Không có mạng</title><p style='font:1.2rem sans-serif;padding:1rem'>Không có mạng. " +
  "Trang này chưa được lưu để đọc khi không có mạng. Xin thử lại khi có mạng.</p>";

function readable(url) {
  return url.origin === self.location.origin &&
    (url.pathname.indexOf("/so-tay/") === 0 || url.pathname.indexOf("/static/") === 0);
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(STATIC); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.forget) {
    event.waitUntil(caches.delete(CACHE));
  } else if (data.keep) {
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return Promise.all(data.keep.map(function (url) {
        return fetch(url, {credentials: "same-origin"}).then(function (response) {
          if (response.ok && !response.redirected) return cache.put(url, response);
        }).catch(function () {});
      }));
    }));
  }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || !readable(url)) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (kept) { return kept || fetch(request); }));
    return;
  }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected && !request.headers.get("HX-Request")) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, {ignoreVary: true}).then(function (kept) {
      return kept || new Response(OFFLINE, {headers: {"Content-Type": "text/html; charset=utf-8"}});
    });
  }));
});
