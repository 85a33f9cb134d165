-- PReP (.prep) files in Neovim: the filetype, comments, and the `prep lsp` language server.
--
-- Put this file in your config (e.g. ~/.config/nvim/plugin/prep.lua) or `dofile()` it.
-- Needs `prep` on the PATH (pip install prepmodel), or set vim.g.prep_command first:
--   vim.g.prep_command = { "/path/to/venv/bin/prep", "lsp" }
-- Works with Neovim 0.7 and later (tested headless with 0.7.2); from 0.11 on the server
-- speaks UTF-8 positions, as Neovim prefers.

local group = vim.api.nvim_create_augroup("prep_lsp", { clear = true })
local prep_clients = {}

if vim.filetype and vim.filetype.add then
  vim.filetype.add({ extension = { prep = "prep" } })
end
-- Neovim 0.7 only reads vim.filetype.add with g:do_filetype_lua set: say it the old way too.
vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
  group = group,
  pattern = "*.prep",
  command = "setfiletype prep",
})

vim.api.nvim_create_autocmd("FileType", {
  group = group,
  pattern = "prep",
  callback = function(args)
    vim.bo[args.buf].commentstring = "# %s"
    vim.bo[args.buf].comments = ":#"
    local file = vim.api.nvim_buf_get_name(args.buf)
    local folder = vim.fn.fnamemodify(file, ":p:h")
    local root = folder
    if vim.fs and vim.fs.find then -- 0.8+: the nearest folder with settings or a repository
      local found = vim.fs.find({ "prep.toml", "pyproject.toml", ".git" }, { upward = true, path = folder })[1]
      root = found and vim.fs.dirname(found) or folder
    end
    local config = {
      name = "prep",
      cmd = vim.g.prep_command or { "prep", "lsp" },
      root_dir = root,
      init_options = { debounceMs = vim.g.prep_debounce_ms or 150 },
    }
    if vim.lsp.start then -- 0.8+: reuses a running client with the same name and root
      vim.lsp.start(config, { bufnr = args.buf })
    else -- 0.7: one client per root, attached to each buffer
      prep_clients[root] = prep_clients[root] or vim.lsp.start_client(config)
      vim.lsp.buf_attach_client(args.buf, prep_clients[root])
    end
  end,
})

-- Format on request with the server (prep fmt): `:lua vim.lsp.buf.format()`.
-- Quick fixes: `:lua vim.lsp.buf.code_action()`; rename: `:lua vim.lsp.buf.rename()`.
