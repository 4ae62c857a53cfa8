// The hosted form's page (issue 16, forms): fetches the fields, sends the answers, shows progress and the result.
// Plain JavaScript with no build step, so the page stays small and fast; the server writes the title itself.
(function () {
  'use strict';
  var app = document.getElementById('app');
  var base = '/forms/' + encodeURIComponent(app.getAttribute('data-token'));
  var IMAGE = /\.(png|jpe?g|gif|webp|svg|avif)(\?.*)?$/i;
  var FILE_URL = /\/api\/v1\/files\/f[A-Za-z0-9_-]+$/;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function show(node) {
    app.replaceChildren(node);
  }

  function problemOf(response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      return { status: response.status, detail: body.detail || response.statusText, errors: body.errors || [] };
    });
  }

  function load() {
    fetch(base + '/form.json', { credentials: 'same-origin' }).then(function (response) {
      if (!response.ok) return problemOf(response).then(function (p) { fail(p.detail); });
      return response.json().then(function (form) {
        if (form.locked) passwordForm(); else answerForm(form.fields);
      });
    }).catch(function () { fail('The form could not be loaded. Check your connection and reload the page.'); });
  }

  function fail(message) {
    show(el('p', { 'class': 'banner', role: 'alert', 'data-test': 'form-error', text: message }));
  }

  function passwordForm() {
    var input = el('input', { type: 'password', id: 'form-password', name: 'password', autocomplete: 'current-password',
      required: true, 'aria-describedby': 'form-password-error', 'data-test': 'form-password' });
    var error = el('p', { 'class': 'error', id: 'form-password-error', role: 'alert', hidden: true });
    var button = el('button', { type: 'submit', 'data-test': 'form-unlock', text: 'Open the form' });
    var form = el('form', { 'data-test': 'form-locked' }, [
      el('div', { 'class': 'field' }, [
        el('label', { 'for': 'form-password', text: 'This form needs a password' }), input, error]),
      button]);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      button.disabled = true;
      fetch(base + '/unlock', { method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password: input.value })
      }).then(function (response) {
        if (response.ok) return load();
        return problemOf(response).then(function (p) {
          button.disabled = false;
          var message = (p.errors[0] && p.errors[0].message) || p.detail;
          error.textContent = p.status === 401 ? 'That password is not right.' : message;
          error.hidden = false;
          input.setAttribute('aria-invalid', 'true');
          input.focus();
        });
      });
    });
    show(form);
    input.focus();
  }

  function control(field) {
    var id = 'field-' + field.name;
    var common = { id: id, name: field.name, required: field.required, 'aria-describedby': id + '-hint ' + id + '-error',
      'data-test': 'form-field-' + field.name };
    var value = field['default'];
    if (field.control === 'checkbox') {
      return el('input', Object.assign({ type: 'checkbox', checked: value === true }, common));
    }
    if (field.control === 'select') {
      var options = [el('option', { value: '', text: field.required ? 'Choose…' : '—' })];
      field.choices.forEach(function (choice) {
        options.push(el('option', { value: String(choice), text: String(choice), selected: choice === value }));
      });
      return el('select', common, options);
    }
    if (field.control === 'json') {
      return el('textarea', Object.assign({ 'class': 'json', spellcheck: 'false',
        placeholder: field.type === 'array' ? '[ ]' : '{ }' }, common), value === undefined ? [] :
        [document.createTextNode(JSON.stringify(value, null, 2))]);
    }
    if (field.control === 'file') return el('input', Object.assign({ type: 'file' }, common));
    if (field.control === 'number') {
      return el('input', Object.assign({ type: 'number', step: field.type === 'integer' ? '1' : 'any',
        value: value }, common));
    }
    return el('input', Object.assign({ type: 'text', value: value }, common));
  }

  function answerForm(fields) {
    var banner = el('p', { 'class': 'banner', role: 'alert', hidden: true, 'data-test': 'form-error' });
    var rows = fields.map(function (field) {
      var id = 'field-' + field.name;
      var input = control(field);
      var label = field.label + (field.type === 'array' || field.type === 'object' ? ' (JSON)' : '');
      var children = field.control === 'checkbox'
        ? [el('label', { 'class': 'check', 'for': id }, [input, document.createTextNode(label)])]
        : [el('label', { 'for': id }, [document.createTextNode(label),
            field.required ? el('span', { 'class': 'req', 'aria-hidden': 'true', text: '*' }) : null]), input];
      children.push(el('p', { 'class': 'hint', id: id + '-hint', text: field.description || '', hidden: !field.description }));
      children.push(el('p', { 'class': 'error', id: id + '-error', role: 'alert', hidden: true,
        'data-test': 'form-error-' + field.name }));
      return el('div', { 'class': 'field', 'data-field': field.name }, children);
    });
    var button = el('button', { type: 'submit', 'data-test': 'form-submit', text: 'Send' });
    var form = el('form', { novalidate: true, 'data-test': 'form-answers' }, [banner].concat(rows).concat([button]));
    var edited = function (event) {   // a field's problem goes away once the visitor changes the field
      var error = event.target.id && document.getElementById(event.target.id + '-error');
      if (error) { error.hidden = true; error.textContent = ''; }
      event.target.removeAttribute('aria-invalid');
    };
    form.addEventListener('input', edited);
    form.addEventListener('change', edited);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      send(form, fields, banner, button);
    });
    show(form);
  }

  function send(form, fields, banner, button) {
    var body = new FormData();
    fields.forEach(function (field) {
      var input = form.elements.namedItem(field.name);
      if (field.control === 'checkbox') body.append(field.name, input.checked ? 'true' : 'false');
      else if (field.control === 'file') { if (input.files.length) body.append(field.name, input.files[0]); }
      else if (input.value !== '') body.append(field.name, input.value);
    });
    form.querySelectorAll('.error').forEach(function (node) { node.hidden = true; node.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach(function (node) { node.removeAttribute('aria-invalid'); });
    banner.hidden = true;
    button.disabled = true;
    button.textContent = 'Sending…';
    fetch(base + '/submit', { method: 'POST', credentials: 'same-origin', body: body }).then(function (response) {
      if (response.status === 202) return response.json().then(function (sent) { progress(sent.result_url); });
      if (response.status === 401) return load();
      return problemOf(response).then(function (p) {
        button.disabled = false;
        button.textContent = 'Send';
        var general = [];
        p.errors.forEach(function (problem) {
          var input = form.elements.namedItem(problem.field);
          var error = document.getElementById('field-' + problem.field + '-error');
          if (input && error) {
            error.textContent = problem.message;
            error.hidden = false;
            input.setAttribute('aria-invalid', 'true');
          } else {
            general.push((problem.field ? problem.field + ': ' : '') + problem.message);
          }
        });
        if (general.length || !p.errors.length) {
          banner.textContent = general.length ? general.join('; ') : p.detail;
          banner.hidden = false;
        }
        var first = form.querySelector('[aria-invalid=true]');
        if (first) first.focus();
      });
    }).catch(function () {
      button.disabled = false;
      button.textContent = 'Send';
      banner.textContent = 'The form could not be sent. Check your connection and try again.';
      banner.hidden = false;
    });
  }

  function status(state) {
    var words = { queued: 'Waiting to start', running: 'Running', completed: 'Done', failed: 'Failed',
      cancelled: 'Cancelled' };
    var done = state === 'completed' || state === 'failed' || state === 'cancelled';
    return el('span', { 'class': 'status ' + state, 'data-test': 'form-status', 'data-state': state },
      [done ? null : el('span', { 'class': 'spinner', 'aria-hidden': 'true' }), document.createTextNode(words[state] || state)]);
  }

  function progress(url) {
    show(el('div', { 'data-test': 'form-progress' }, [status('queued')]));
    var poll = function () {
      fetch(url + '?wait=20', { credentials: 'same-origin' }).then(function (response) {
        if (!response.ok) return problemOf(response).then(function (p) { fail(p.detail); });
        return response.json().then(function (task) {
          if (!task.finished) {
            show(el('div', { 'data-test': 'form-progress' }, [status(task.state)]));
            return poll();
          }
          result(task);
        });
      }).catch(function () { setTimeout(poll, 2000); });
    };
    poll();
  }

  function value(v) {
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof v.url === 'string') {
      var isImage = String(v.content_type || '').indexOf('image/') === 0 || IMAGE.test(v.url);
      return el('div', {}, [isImage ? el('img', { src: v.url, alt: v.name || 'image' }) : null,
        el('a', { href: v.url, target: '_blank', rel: 'noopener noreferrer', text: v.name || v.url })]);
    }
    if (typeof v === 'string' && /^https?:\/\//.test(v)) {
      var link = el('a', { href: v, target: '_blank', rel: 'noopener noreferrer', text: v });
      if (IMAGE.test(v)) return el('div', {}, [el('img', { src: v, alt: '' }), link]);
      if (FILE_URL.test(v)) {
        var preview = el('img', { src: v, alt: '' });
        preview.addEventListener('error', function () { preview.remove(); });
        return el('div', {}, [preview, link]);
      }
      return link;
    }
    if (typeof v === 'string') return el('p', { 'class': 'text', text: v });
    if (v === null || typeof v !== 'object') return el('p', { 'class': 'text', text: String(v) });
    return el('pre', { 'class': 'json', text: JSON.stringify(v, null, 2) });
  }

  function result(task) {
    var parts = [status(task.state)];
    if (task.state === 'completed') {
      var outputs = task.result && typeof task.result === 'object' && !Array.isArray(task.result) ? task.result : { result: task.result };
      parts.push(el('div', { 'class': 'outputs', 'data-test': 'form-result' }, Object.keys(outputs).map(function (key) {
        return el('section', { 'class': 'output', 'data-output': key }, [el('h2', { text: key }), value(outputs[key])]);
      })));
    } else {
      parts.push(el('p', { 'class': 'banner', role: 'alert', 'data-test': 'form-failure',
        text: (task.error && task.error.message) || 'The run did not finish.' }));
    }
    var again = el('button', { type: 'button', 'class': 'secondary', 'data-test': 'form-again', text: 'Send another' });
    again.addEventListener('click', load);
    parts.push(again);
    show(el('div', { 'data-test': 'form-done' }, parts));
  }

  load();
})();
